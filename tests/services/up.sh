#!/usr/bin/env bash
# Start what the test suite talks to: PostgreSQL and Redis on loopback, from
# Debian's packages, each in a private data folder so nothing system-wide is
# touched. Installs the packages (and the tools some tests drive: Chromium +
# ChromeDriver, Tesseract with Indonesian, poppler-utils, espeak-ng, the Debian Reference
# PDFs, Dovecot) when they are missing, starts Dovecot (IMAP for the aspiration
# mail tests) on 127.0.0.1:10143, then the Elasticsearch test node on
# 127.0.0.1:9200. Idempotent: running services are left alone.
set -euo pipefail

PG_PORT="${PG_PORT:-55432}"
REDIS_PORT="${REDIS_PORT:-56379}"
IMAP_PORT="${IMAP_PORT:-10143}"
STATE_DIR="${SIAP_TEST_STATE:-/tmp/siap-test-services}"
PG_DATA="$STATE_DIR/pg"

need_packages=()
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
[ -n "$pg_bin" ] || need_packages+=(postgresql)
command -v redis-server >/dev/null || need_packages+=(redis-server)
command -v chromium >/dev/null || need_packages+=(chromium)
command -v chromedriver >/dev/null || need_packages+=(chromium-driver)
# OCR and the reference PDF tools
command -v tesseract >/dev/null || need_packages+=(tesseract-ocr)
[ -f /usr/share/tesseract-ocr/5/tessdata/ind.traineddata ] || need_packages+=(tesseract-ocr-ind)
command -v pdftotext >/dev/null || need_packages+=(poppler-utils)
# Indonesian speech the minutes tests generate and transcribe
command -v espeak-ng >/dev/null || need_packages+=(espeak-ng)
# real PDFs nobody on this project wrote: the Debian Reference manuals (Indonesian, English)
[ -f /usr/share/debian-reference/debian-reference.id.pdf ] || need_packages+=(debian-reference-id)
[ -f /usr/share/debian-reference/debian-reference.en.pdf ] || need_packages+=(debian-reference-en)
# the mailbox residents write to, which the aspiration mail tests read over IMAP
[ -x /usr/sbin/dovecot ] || need_packages+=(dovecot-imapd)
# the TLS proxy of the production topology (tests/prod, make prod-check)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need_packages+=(nginx-light)
if [ ${#need_packages[@]} -gt 0 ]; then
  echo "Installing ${need_packages[*]} from Debian packages…"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_packages[@]}" >/dev/null
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi

mkdir -p "$STATE_DIR"
# PostgreSQL refuses to run as root: run it as the 'postgres' user then.
if [ "$(id -u)" -eq 0 ]; then
  as_pg() { su postgres -s /bin/sh -c "$*"; }
  chown postgres "$STATE_DIR"
else
  as_pg() { sh -c "$*"; }
fi

if ! "$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; then
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    as_pg "$pg_bin/initdb -D '$PG_DATA' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null"
  fi
  as_pg "$pg_bin/pg_ctl -D '$PG_DATA' -l '$STATE_DIR/pg.log' -w -o \"-p $PG_PORT -k '$STATE_DIR' -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200\" start >/dev/null"
fi
psql_() { "$pg_bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qtA "$@"; }
if [ "$(psql_ -c "select 1 from pg_roles where rolname='siap'")" != "1" ]; then
  psql_ -c "create role siap login createdb password 'siap'"
fi
if [ "$(psql_ -c "select 1 from pg_database where datname='siap'")" != "1" ]; then
  psql_ -c "create database siap owner siap"
fi
echo "PostgreSQL ready on 127.0.0.1:$PG_PORT"

if ! redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; then
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes --save "" --appendonly no \
    --dir "$STATE_DIR" --logfile "$STATE_DIR/redis.log"
  for _ in $(seq 50); do redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
fi
echo "Redis ready on 127.0.0.1:$REDIS_PORT"

# Dovecot (config: dovecot.conf, logins: dovecot-users) runs unprivileged; as root (CI)
# it runs as the 'siapmail' system user then, who also owns the mailboxes.
MAIL_DIR="$STATE_DIR/dovecot"
if [ "$(id -u)" -eq 0 ]; then
  id siapmail >/dev/null 2>&1 || useradd --system --user-group --no-create-home --shell /usr/sbin/nologin siapmail
  mail_user=siapmail
  as_mail() { su siapmail -s /bin/sh -c "$*"; }
else
  mail_user=$(id -un)
  as_mail() { sh -c "$*"; }
fi
if ! (exec 3<>"/dev/tcp/127.0.0.1/$IMAP_PORT") 2>/dev/null; then
  mkdir -p "$MAIL_DIR"
  sed -e "s|@DIR@|$MAIL_DIR|g" -e "s|@USER@|$mail_user|g" -e "s|@PORT@|$IMAP_PORT|g" \
    "$(dirname "$0")/dovecot.conf" >"$MAIL_DIR/dovecot.conf"
  cp "$(dirname "$0")/dovecot-users" "$MAIL_DIR/users"
  chown -R "$mail_user" "$MAIL_DIR"
  # its own output to a file: a daemon holding our stdout would keep a pipe reading this script open
  as_mail "/usr/sbin/dovecot -c '$MAIL_DIR/dovecot.conf' </dev/null >'$MAIL_DIR/start.log' 2>&1"
  for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$IMAP_PORT") 2>/dev/null && break; sleep 0.1; done
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$IMAP_PORT") 2>/dev/null; then
    cat "$MAIL_DIR/start.log" "$MAIL_DIR/dovecot.log" >&2 2>/dev/null
    echo "Dovecot did not start on 127.0.0.1:$IMAP_PORT" >&2
    exit 1
  fi
fi
echo "Dovecot (IMAP) ready on 127.0.0.1:$IMAP_PORT"

# Elasticsearch: SIAP's test node (Java + Maven build of tests/services/elasticsearch)
"$(dirname "$0")/elasticsearch/run.sh" start
