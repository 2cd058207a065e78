#!/bin/sh
# The auth file from the environment, so the password lives only in deploy/.env.
set -eu
umask 077
printf '"%s" "%s"\n' "$DB_USER" "$DB_PASSWORD" > /tmp/userlist.txt
exec pgbouncer /etc/pgbouncer/pgbouncer.ini
