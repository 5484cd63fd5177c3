#!/usr/bin/env bash
# make test: prerequisites, a throw-away PostgreSQL cluster, then every test project; prints "N passed, N failed, N skipped" and each skipped test's reason.
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

# Totals and every skipped test with its reason, from the trx files (a skip is otherwise easy to miss in the log).
shopt -s nullglob
trx_files=("$RESULTS"/*.trx)
summary="$(python3 "$ROOT/scripts/trx-summary.py" "${trx_files[@]}")"
totals="$(tail -1 <<<"$summary")"
sed '$d' <<<"$summary"
passed="${totals%% passed*}"
failed="$(sed -n 's/.* \([0-9]*\) failed.*/\1/p' <<<"$totals")"
skipped="$(sed -n 's/.* \([0-9]*\) skipped.*/\1/p' <<<"$totals")"
if [[ $status -ne 0 && $failed -eq 0 ]]; then failed=1; echo "A test run failed without reporting a failed test (crash or build problem)." >&2; fi
echo "$passed passed, $failed failed, $skipped skipped"
exit $(( status != 0 || failed != 0 ))
