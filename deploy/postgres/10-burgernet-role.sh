#!/bin/sh
# Runs once, when the postgres image creates its data directory (/docker-entrypoint-initdb.d): the service's own
# role, which owns the burgernet database and is not a superuser. The superuser's password (postgres_password)
# is given to this container alone; the service, the migrations and PgBouncer log in as burgernet.
# psql reads the password from the secret file itself (backquotes in \set), so it is on no command line.
# BURGERNET_DB_PASSWORD_FILE: where compose mounts the secret, unless told (the deployment rehearsal does).
set -eu
export BURGERNET_DB_PASSWORD_FILE="${BURGERNET_DB_PASSWORD_FILE:-/run/secrets/burgernet_db_password}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres <<'SQL'
\set password `cat "$BURGERNET_DB_PASSWORD_FILE"`
CREATE ROLE burgernet LOGIN PASSWORD :'password';
CREATE DATABASE burgernet OWNER burgernet;
REVOKE ALL ON DATABASE burgernet FROM PUBLIC;
SQL
