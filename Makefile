.PHONY: run test build bench clean

# Starts StreamSpace on this machine: installs what is missing, private PostgreSQL under .data/, demo tenant, Web and Workers.
run:
	@scripts/run.sh

# Runs every test project against a throw-away PostgreSQL; prints "N passed, N failed".
test:
	@scripts/test.sh

build:
	@bash -c 'source scripts/lib.sh && build'

clean:
	dotnet clean StreamSpace.sln -v quiet
	rm -rf src/Web/wwwroot/lib src/Web/node_modules
