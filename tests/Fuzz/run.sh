#!/usr/bin/env bash
# make fuzz: each parser under AFL++ for a bounded time, then a table of executions, corpus, crashes and hangs.
# Usage: tests/Fuzz/run.sh [seconds per target, default 60] [target...]   (targets: see tests/Fuzz/README.md)
# Findings stay under tests/Fuzz/out/<target>/default/{crashes,hangs}/; replay one with
#   dotnet tests/Fuzz/out/bin/StreamSpace.Fuzz.dll <target> <file>
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
SECONDS_PER_TARGET="${1:-60}"
shift || true
TARGETS=("$@")
[[ ${#TARGETS[@]} -gt 0 ]] || TARGETS=(rfb-framer rfb-websocket app-socket template-yaml user-yaml)
OUT="${FUZZ_OUT:-$HERE/out}"
BIN="$OUT/bin"

if ! command -v afl-fuzz >/dev/null; then
  echo "Installing AFL++ from Debian" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq afl++ >/dev/null
fi

cd "$ROOT"
dotnet tool restore >/dev/null
dotnet build tests/Fuzz/StreamSpace.Fuzz -c Release -nologo -v quiet -clp:ErrorsOnly

# Instrument a copy, so the next ordinary build does not pick up (or overwrite) the instrumented assemblies.
rm -rf "$BIN"
mkdir -p "$OUT"
cp -r tests/Fuzz/StreamSpace.Fuzz/bin/Release/net10.0 "$BIN"
for assembly in StreamSpace.Domain StreamSpace.Infrastructure StreamSpace.Web YamlDotNet; do
  dotnet sharpfuzz "$BIN/$assembly.dll"
done

# dotnet itself is not AFL-instrumented (SharpFuzz instruments the assemblies); no CPU governor or core dumps to set up here.
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1

stat() { sed -n "s/^$2 *: *//p" "$1" | head -1; }
rows=()
found=0
for target in "${TARGETS[@]}"; do
  [[ -d "$HERE/corpus/$target" ]] || { echo "No corpus for target $target (tests/Fuzz/corpus/$target)" >&2; exit 2; }
  rm -rf "${OUT:?}/$target"
  echo "Fuzzing $target for ${SECONDS_PER_TARGET} s" >&2
  afl-fuzz -i "$HERE/corpus/$target" -o "$OUT/$target" -t 2000 -V "$SECONDS_PER_TARGET" \
    -- dotnet "$BIN/StreamSpace.Fuzz.dll" "$target" >"$OUT/$target.log" 2>&1 \
    || { echo "afl-fuzz failed for $target; see $OUT/$target.log" >&2; tail -20 "$OUT/$target.log" >&2; exit 1; }
  stats="$OUT/$target/default/fuzzer_stats"
  crashes="$(stat "$stats" saved_crashes)"
  hangs="$(stat "$stats" saved_hangs)"
  rows+=("$(printf '%-14s %12s %8s %10s %8s %6s' "$target" "$(stat "$stats" execs_done)" "$(stat "$stats" corpus_count)" \
    "$(stat "$stats" bitmap_cvg)" "$crashes" "$hangs")")
  found=$((found + crashes + hangs))
done

printf '%-14s %12s %8s %10s %8s %6s\n' target executions corpus coverage crashes hangs
printf '%s\n' "${rows[@]}"
if [[ $found -gt 0 ]]; then
  echo "Findings under $OUT/<target>/default/{crashes,hangs}/" >&2
  exit 1
fi
