#!/usr/bin/env bash
# make test: prerequisites, a throw-away PostgreSQL cluster, then every test project; prints "N passed, N failed".
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require_root test
ensure_prerequisites test
build

PG_DIR="$(mktemp -d /tmp/streamspace-test-pg.XXXXXX)/data"
RESULTS="$ROOT/TestResults"
cleanup() {
  container_engine_stop
  pg_stop "$PG_DIR"
  rm -rf "$(dirname "$PG_DIR")"
}
trap cleanup EXIT
chmod 755 "$(dirname "$PG_DIR")"
PG_FSYNC=off pg_start "$PG_DIR"
export STREAMSPACE_TEST_PG="$PG_CONNECTION"

# The container tests run real containers: an engine (Podman's API service unless the machine has one) and the images
# they launch, built from Debian packages since no registry is reachable (cached: only the first run pays ~90 s).
container_engine_start "$(dirname "$PG_DIR")/containers"
if [[ -n "${CONTAINER_HOST:-}" ]]; then
  log "Building the test images"
  "$ROOT/scripts/test-images.sh" || { echo "The test images could not be built; the container tests will fail." >&2; }
fi

rm -rf "$RESULTS"
status=0
for project in tests/Unit tests/Integration tests/E2E; do
  compgen -G "$ROOT/$project/*.csproj" >/dev/null || continue
  log "Testing $project"
  dotnet test "$ROOT/$project" -c "$CONFIGURATION" --no-build -nologo \
    --logger "trx;LogFilePrefix=$(basename "$project")" --logger "console;verbosity=minimal" \
    --results-directory "$RESULTS" || status=1
done

passed=0 failed=0
for trx in "$RESULTS"/*.trx; do
  [[ -f "$trx" ]] || continue
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -1)"
  p="$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  f="$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
if [[ $status -ne 0 && $failed -eq 0 ]]; then failed=1; echo "A test run failed without reporting a failed test (crash or build problem)." >&2; fi
echo "$passed passed, $failed failed"
exit $(( status != 0 || failed != 0 ))
