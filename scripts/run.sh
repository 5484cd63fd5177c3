#!/usr/bin/env bash
# make run: prerequisites, private PostgreSQL under .data/, migrations and demo data, then Workers and Web.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PORT="${PORT:-8080}"
PIDS=()

stop_all() {
  trap - INT TERM EXIT
  log "Stopping (running sessions hibernate first)"
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  container_engine_stop
  pg_stop "$DATA/postgres"
}

require_root run
ensure_prerequisites run
DATA="$(resolve_data_dir)"
build
pg_start "$DATA/postgres"
trap stop_all INT TERM EXIT
# Image templates run as containers: the machine's Docker or Podman, else Podman's API service under .data/ (stopped with
# the rest; containers of running sessions hibernate first, like sandboxes).
container_engine_start "$DATA/podman"

# The set-up step creates the database on first use (EF Core migrations).
export ConnectionStrings__StreamSpace="$PG_CONNECTION;Database=streamspace"
# Web (which reads VNC passwords) and Workers (which starts sandboxes) must agree on where sessions live.
export Runtime__Local__DataDirectory="$DATA"
# The portal is served over plain http on localhost: let the token server (API, CLI) and SSO sign-ins work there.
export Identity__AllowInsecureHttp=true
# Ctrl-C ends everything make run started, sessions included: Workers hibernates them (files kept; Resume starts them again).
# A session left running by a killed make run is adopted by the next one (sessions.reconcile finds its sandbox).
export Hibernation__OnShutdown=true
WEB="$ROOT/src/Web/bin/$CONFIGURATION/net10.0"
WORKERS="$ROOT/src/Workers/bin/$CONFIGURATION/net10.0"
log "Migrating and seeding"
CREDENTIALS="$(cd "$ROOT/src/Web" && dotnet "$WEB/StreamSpace.Web.dll" setup --demo --credentials "$DATA/credentials.json" --port "$PORT")"

# Metrics name tenants, so each process serves them on a loopback port of its own, never on the portal's port.
WORKERS_METRICS_PORT="$(free_port 9464)"
(cd "$ROOT/src/Workers" && Metrics__Port="$WORKERS_METRICS_PORT" Metrics__Host=127.0.0.1 exec dotnet "$WORKERS/StreamSpace.Workers.dll") & PIDS+=($!)
WEB_METRICS_PORT="$(free_port $((WORKERS_METRICS_PORT + 1)))"
(cd "$ROOT/src/Web" && ASPNETCORE_URLS="http://localhost:$PORT" Metrics__Port="$WEB_METRICS_PORT" Metrics__Host=127.0.0.1 exec dotnet "$WEB/StreamSpace.Web.dll") & PIDS+=($!)

for _ in $(seq 1 120); do
  if curl -fsS "http://localhost:$PORT/healthz/ready" >/dev/null 2>&1; then break; fi
  if ! kill -0 "${PIDS[1]}" 2>/dev/null; then echo "Web exited during start-up; see the log above." >&2; exit 1; fi
  sleep 0.5
done

echo
echo "$CREDENTIALS"
echo
echo "Metrics: http://127.0.0.1:$WEB_METRICS_PORT/metrics (Web), http://127.0.0.1:$WORKERS_METRICS_PORT/metrics (Workers)"
echo "StreamSpace is running at http://localhost:$PORT"
echo "Press Ctrl-C to stop it: running sessions hibernate (Resume brings them back), then Workers, Web and the database stop."
wait -n "${PIDS[@]}" || true
