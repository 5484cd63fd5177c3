#!/usr/bin/env bash
# make chaos: the fault tests at full length (docs/reliability.md), against a throw-away PostgreSQL cluster; bounded by
# CHAOS_TIMEOUT (default 30 min). Targets are loopback services and clusters these tests start themselves, nothing else.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require_root chaos
ensure_prerequisites test
build

PG_DIR="$(mktemp -d /tmp/streamspace-chaos-pg.XXXXXX)/data"
cleanup() {
  pg_stop "$PG_DIR"
  rm -rf "$(dirname "$PG_DIR")"
}
trap cleanup EXIT
chmod 755 "$(dirname "$PG_DIR")"
PG_FSYNC=off pg_start "$PG_DIR"
export STREAMSPACE_TEST_PG="$PG_CONNECTION"

# The resume race 100 rounds per case (the suite runs 10); the database restart under traffic.
export STREAMSPACE_RACE_ROUNDS="${STREAMSPACE_RACE_ROUNDS:-100}"
log "Resume race ($STREAMSPACE_RACE_ROUNDS rounds per case) and PostgreSQL restarted under traffic"
timeout "${CHAOS_TIMEOUT:-30m}" dotnet test "$ROOT/tests/Integration" -c "$CONFIGURATION" --no-build -nologo \
  --filter "FullyQualifiedName~ResumeRaceTests|FullyQualifiedName~Reliability." --logger "console;verbosity=normal"
