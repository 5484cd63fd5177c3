#!/usr/bin/env bash
# Catalog page server time: a private PostgreSQL and the Web process (Release), the demo tenant with the whole shipped
# catalog, a signed-in session, then wrk against /catalog on the tenant host. Prints p50/p99 and PASS/MISS against the
# target (p99 < 20 ms at 100 connections). Knobs: CONNECTIONS, THREADS, DURATION, WARMUP, TARGET_P99_MS, SKIP_BUILD=1,
# QUERY (appended to /catalog, e.g. '?q=fire' to time a search instead of the whole catalog).
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

CONNECTIONS="${CONNECTIONS:-100}"
THREADS="${THREADS:-2}"
DURATION="${DURATION:-20s}"
WARMUP="${WARMUP:-5s}"
TARGET_P99_MS="${TARGET_P99_MS:-20}"
QUERY="${QUERY:-}"

ensure_prerequisites bench
[[ "${SKIP_BUILD:-0}" == 1 ]] || build

WORK="$(mktemp -d /tmp/streamspace-bench-catalog.XXXXXX)"
chmod 755 "$WORK"
PG_DIR="$WORK/pg/data"
WEB_PID=""
cleanup() {
  [[ -n "$WEB_PID" ]] && kill "$WEB_PID" 2>/dev/null && wait "$WEB_PID" 2>/dev/null
  pg_stop "$PG_DIR"
  rm -rf "$WORK"
}
trap cleanup EXIT

PG_FSYNC=off pg_start "$PG_DIR"
PORT="$(free_port 18080)"
HOST="demo.localhost:$PORT"
WEB="$ROOT/src/Web/bin/$CONFIGURATION/net10.0"
export ConnectionStrings__StreamSpace="$PG_CONNECTION;Database=streamspace_bench"
export Runtime__Local__DataDirectory="$WORK/data"
export DOTNET_ENVIRONMENT=Production ASPNETCORE_ENVIRONMENT=Production
mkdir -p "$WORK/data"

log "Setting up the demo tenant and the catalog"
(cd "$ROOT/src/Web" && dotnet "$WEB/StreamSpace.Web.dll" setup --demo --credentials "$WORK/credentials.json" --port "$PORT") | grep -E '^Catalog' >&2
PASSWORD="$(sed -n 's/.*"demo":"\([^"]*\)".*/\1/p' "$WORK/credentials.json")"

log "Starting Web on port $PORT"
(cd "$ROOT/src/Web" && ASPNETCORE_URLS="http://localhost:$PORT" Logging__LogLevel__Default=Warning exec dotnet "$WEB/StreamSpace.Web.dll") >"$WORK/web.log" 2>&1 &
WEB_PID=$!
for _ in $(seq 1 120); do
  curl -fsS "http://localhost:$PORT/healthz/ready" >/dev/null 2>&1 && break
  kill -0 "$WEB_PID" 2>/dev/null || { cat "$WORK/web.log" >&2; exit 1; }
  sleep 0.5
done

log "Signing in as admin@demo.local"
JAR="$WORK/cookies"
CURL=(curl -fsS --resolve "$HOST:127.0.0.1" -c "$JAR" -b "$JAR")
TOKEN="$("${CURL[@]}" "http://$HOST/login" | sed -n 's/.*name="__RequestVerificationToken" type="hidden" value="\([^"]*\)".*/\1/p' | head -1)"
"${CURL[@]}" -o /dev/null --data-urlencode "Email=admin@demo.local" --data-urlencode "Password=$PASSWORD" \
  --data-urlencode "__RequestVerificationToken=$TOKEN" "http://$HOST/login"
COOKIE="$(awk '$6 == "streamspace" { print $7 }' "$JAR")"
[[ -n "$COOKIE" ]] || { echo "Sign-in failed: no session cookie." >&2; exit 1; }
CARDS="$(curl -fsS -H "Host: $HOST" -H "Cookie: streamspace=$COOKIE" "http://127.0.0.1:$PORT/catalog$QUERY" | grep -c 'data-template=' || true)"
[[ -n "$QUERY" || "$CARDS" -ge 200 ]] || { echo "The catalog page shows $CARDS templates; expected the whole catalog." >&2; exit 1; }

WRK=(wrk -t"$THREADS" -c"$CONNECTIONS" --latency -H "Host: $HOST" -H "Cookie: streamspace=$COOKIE" "http://127.0.0.1:$PORT/catalog$QUERY")
log "Warming up ($WARMUP)"
"${WRK[@]}" -d"$WARMUP" >/dev/null
log "Measuring: $CONNECTIONS connections, $THREADS threads, $DURATION, $CARDS templates on the page"
"${WRK[@]}" -d"$DURATION" | tee "$WORK/wrk.txt" >&2

# wrk prints "50%  12.34ms" (or us / s); normalise to milliseconds.
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /[0-9]s$/ && v !~ /ms$/) n *= 1000; printf "%.2f", n }'; }
P50="$(to_ms "$(awk '$1 == "50%" { print $2 }' "$WORK/wrk.txt")")"
P99="$(to_ms "$(awk '$1 == "99%" { print $2 }' "$WORK/wrk.txt")")"
RPS="$(awk '/^Requests\/sec/ { print $2 }' "$WORK/wrk.txt")"
ERRORS="$(awk '/Non-2xx or 3xx responses/ { print $NF }' "$WORK/wrk.txt")"
VERDICT="$(awk -v p="$P99" -v t="$TARGET_P99_MS" 'BEGIN { print (p + 0 < t + 0) ? "PASS" : "MISS" }')"
[[ -z "$ERRORS" ]] || VERDICT="MISS (${ERRORS} non-2xx responses)"
echo "catalog page$QUERY ($CARDS templates, $CONNECTIONS connections): p50 ${P50} ms, p99 ${P99} ms, ${RPS} req/s — target p99 < ${TARGET_P99_MS} ms: $VERDICT"

# The floor on this machine: the same load against the cheapest route there is (no page, no sign-in, no database), so
# the catalog's figure can be read against what Kestrel, wrk and the scheduler cost by themselves.
FLOOR=(wrk -t"$THREADS" -c"$CONNECTIONS" --latency "http://127.0.0.1:$PORT/healthz/live")
"${FLOOR[@]}" -d"$WARMUP" >/dev/null
"${FLOOR[@]}" -d"$DURATION" >"$WORK/floor.txt"
FLOOR_P50="$(to_ms "$(awk '$1 == "50%" { print $2 }' "$WORK/floor.txt")")"
FLOOR_P99="$(to_ms "$(awk '$1 == "99%" { print $2 }' "$WORK/floor.txt")")"
FLOOR_RPS="$(awk '/^Requests\/sec/ { print $2 }' "$WORK/floor.txt")"
echo "floor, /healthz/live ($CONNECTIONS connections): p50 ${FLOOR_P50} ms, p99 ${FLOOR_P99} ms, ${FLOOR_RPS} req/s"
