.PHONY: run test build bench chaos clean

# Starts StreamSpace on this machine: installs what is missing, private PostgreSQL under .data/, demo tenant, Web and Workers.
run:
	@scripts/run.sh

# Runs every test project against a throw-away PostgreSQL; prints "N passed, N failed, N skipped" and each skip's reason.
test:
	@scripts/test.sh

# Fault tests at full length (the resume race 100 rounds per case, PostgreSQL restarted under traffic); see docs/reliability.md.
chaos:
	@scripts/chaos.sh

build:
	@bash -c 'source scripts/lib.sh && build'

# Benchmarks in Release, one mode after another: launch-to-first-frame (sandbox and container), our RFB gateway against websockify, the idle
# sweep over 100,000 sessions and the activity flush, then the catalog page under wrk (~7 min). Each part that needs
# PostgreSQL gets a throw-away cluster.
BENCH_MODES ?= launch gateway sweep flush
bench:
	@bash -c 'source scripts/lib.sh && ensure_prerequisites bench'
	dotnet build bench/StreamSpace.Bench -c Release -nologo -v quiet -clp:ErrorsOnly
	@bash -c 'source scripts/lib.sh; \
	  pg_dir="$$(mktemp -d /tmp/streamspace-bench-pg.XXXXXX)"; chmod 755 "$$pg_dir"; \
	  trap "container_engine_stop; pg_stop $$pg_dir/data; rm -rf $$pg_dir" EXIT; \
	  PG_FSYNC=off pg_start "$$pg_dir/data"; export STREAMSPACE_BENCH_PG="$$PG_CONNECTION"; \
	  container_engine_start "$$pg_dir/containers"; [ -z "$${CONTAINER_HOST:-}" ] || scripts/test-images.sh; \
	  for mode in $(BENCH_MODES); do dotnet run -c Release --no-build --project bench/StreamSpace.Bench -- $$mode; done'
	@bench/catalog.sh

# Each parser (RFB framer, RFB over WebSocket, the app socket's Selkies/RFB inspector, Template and User YAML) under AFL++ for
# FUZZ_SECONDS each (~6 min at 60 s); prints executions, corpus, crashes and hangs (tests/Fuzz/README.md).
FUZZ_SECONDS ?= 60
.PHONY: fuzz
fuzz:
	@tests/Fuzz/run.sh $(FUZZ_SECONDS)

clean:
	dotnet clean StreamSpace.sln -v quiet
	rm -rf src/Web/wwwroot/lib src/Web/node_modules
