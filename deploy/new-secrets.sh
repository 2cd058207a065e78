#!/bin/sh
# Writes deploy/secrets/, the files compose.yaml mounts as secrets: random passwords for the PostgreSQL superuser
# and for the service's role, the service's two database URLs (made from the latter), and the Twilio auth token
# (read from standard input). Files already there are kept, so running it again only adds what is missing and
# rewrites the URLs (after a new burgernet_db_password: docs/operations.md, "Rotating keys and secrets").
set -eu
cd "$(dirname "$0")"
umask 077
mkdir -p secrets
# The directory is its owner's alone; the files in it are readable because each container reads its secrets as
# its own user (postgres, node) through a bind mount.
chmod 700 secrets
random() { od -An -N24 -tx1 /dev/urandom | tr -d ' \n'; }
[ -s secrets/postgres_password ] || random > secrets/postgres_password
[ -s secrets/burgernet_db_password ] || random > secrets/burgernet_db_password
password=$(cat secrets/burgernet_db_password)
rm -f secrets/database_url secrets/database_direct_url
printf 'postgres://burgernet:%s@pgbouncer:6432/burgernet\n' "$password" > secrets/database_url
printf 'postgres://burgernet:%s@postgres:5432/burgernet\n' "$password" > secrets/database_direct_url
if [ ! -s secrets/twilio_auth_token ]; then
  printf 'Twilio auth token: ' >&2
  IFS= read -r token
  [ -n "$token" ] || { echo "no token given: run this again" >&2; exit 1; }
  printf '%s\n' "$token" > secrets/twilio_auth_token
fi
chmod 444 secrets/*
ls -l secrets
