#!/bin/sh
# The auth file from the service role's password (a compose secret), so the password is in no environment.
set -eu
umask 077
password=$(cat "$DB_PASSWORD_FILE")
printf '"%s" "%s"\n' "$DB_USER" "$password" > /tmp/userlist.txt
exec pgbouncer /etc/pgbouncer/pgbouncer.ini
