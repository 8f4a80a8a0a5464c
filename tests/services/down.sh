#!/usr/bin/env bash
# Stop the test services started by up.sh.
set -uo pipefail
PG_PORT="${PG_PORT:-55432}"
REDIS_PORT="${REDIS_PORT:-56379}"
STATE_DIR="${SIAP_TEST_STATE:-/tmp/siap-test-services}"
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -f "$STATE_DIR/pg/postmaster.pid" ]; then
  if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/sh -c "$pg_bin/pg_ctl -D '$STATE_DIR/pg' -m fast stop"; else "$pg_bin/pg_ctl" -D "$STATE_DIR/pg" -m fast stop; fi
fi
if [ -f "$STATE_DIR/dovecot/dovecot.conf" ]; then
  if [ "$(id -u)" -eq 0 ]; then su siapmail -s /bin/sh -c "doveadm -c '$STATE_DIR/dovecot/dovecot.conf' stop"; else doveadm -c "$STATE_DIR/dovecot/dovecot.conf" stop; fi
fi
redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave 2>/dev/null || true
"$(dirname "$0")/elasticsearch/run.sh" stop
