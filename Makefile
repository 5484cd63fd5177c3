.PHONY: run test build bench clean

# Starts StreamSpace on this machine: installs what is missing, private PostgreSQL under .data/, demo tenant, Web and Workers.
run:
	@scripts/run.sh

# Runs every test project against a throw-away PostgreSQL; prints "N passed, N failed".
test:
	@scripts/test.sh

build:
	@bash -c 'source scripts/lib.sh && build'

# Benchmarks in Release, one mode after another: launch-to-first-frame, then our RFB gateway against websockify (~3 min).
BENCH_MODES ?= launch gateway
bench:
	dotnet build bench/StreamSpace.Bench -c Release -nologo -v quiet -clp:ErrorsOnly
	@for mode in $(BENCH_MODES); do dotnet run -c Release --no-build --project bench/StreamSpace.Bench -- $$mode || exit $$?; done

clean:
	dotnet clean StreamSpace.sln -v quiet
	rm -rf src/Web/wwwroot/lib src/Web/node_modules
