#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for the collector's test suite and exports its URL:
#
#   source packages/collector/scripts/ci-postgres.sh   # sets LINGER_TEST_DATABASE_URL
#   npx vitest run --root packages/collector
#   linger_pg_stop                                      # optional; the temp dir goes with it
#
# Installs Debian's postgresql when no server binaries are present (needs root). The cluster
# lives in a temp dir, listens on 127.0.0.1 only, on a port the OS picked as free, runs as the
# postgres user when started by root, and trades durability for speed (fsync off): test data.
# Meant to be sourced, so it returns instead of exiting on failure.

linger_pg_fail() { echo "ci-postgres: $*" >&2; return 1; }

linger_pg_start() {
  local pgbin
  pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$pgbin" ]; then
    [ "$(id -u)" = 0 ] || { linger_pg_fail "postgresql is not installed and installing it needs root"; return 1; }
    echo "ci-postgres: installing Debian's postgresql" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || { linger_pg_fail "apt-get update failed"; return 1; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2 || { linger_pg_fail "apt-get install postgresql failed"; return 1; }
    pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$pgbin" ] || { linger_pg_fail "postgresql installed but no server binaries found"; return 1; }
  fi

  local dir port as_pg=()
  dir=$(mktemp -d /tmp/linger-pg.XXXXXX)
  if [ "$(id -u)" = 0 ]; then
    # initdb refuses to run as root
    chown postgres:postgres "$dir"
    as_pg=(runuser -u postgres --)
  fi
  port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")

  "${as_pg[@]}" "$pgbin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; linger_pg_fail "initdb failed"; return 1; }
  "${as_pg[@]}" "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >&2 \
    || { cat "$dir/server.log" >&2; linger_pg_fail "the server did not start"; return 1; }
  "${as_pg[@]}" "$pgbin/createdb" -h 127.0.0.1 -p "$port" -U postgres linger_test \
    || { linger_pg_fail "createdb failed"; return 1; }

  export LINGER_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/linger_test"
  export LINGER_PG_DIR="$dir"
  LINGER_PG_CTL=("${as_pg[@]}" "$pgbin/pg_ctl")
  echo "$LINGER_TEST_DATABASE_URL"
}

linger_pg_stop() {
  [ -n "${LINGER_PG_DIR:-}" ] || return 0
  "${LINGER_PG_CTL[@]}" -D "$LINGER_PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$LINGER_PG_DIR"
  unset LINGER_PG_DIR LINGER_TEST_DATABASE_URL
}

linger_pg_start
