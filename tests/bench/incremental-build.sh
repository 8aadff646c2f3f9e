#!/usr/bin/env bash
# Times the incremental debug build after a one-line change in one handler: what a developer
# waits for between editing a counselling endpoint and running its tests.
#
#   tests/bench/incremental-build.sh [FILE] [RUNS]
#
# FILE defaults to the advice-seeker handlers; the change edits the summary line of
# "Get an advice seeker" (a doc comment that becomes the OpenAPI summary, so the crate really
# recompiles), builds every target (`cargo build --workspace --all-targets`, which links the
# binary and the test binaries), and restores the file. Prints each run and the median, in
# seconds. Run it once before timing so the build is warm; CARGO_TARGET_DIR is honoured.
set -euo pipefail
cd "$(dirname "$0")/../.."
file="${1:-api/src/counselling/seekers.rs}"
runs="${2:-3}"
line='/// Get an advice seeker'
grep -q "^$line\$" "$file" || { echo "no line '$line' in $file" >&2; exit 2; }
cp "$file" "$file.orig"
trap 'mv "$file.orig" "$file"' EXIT
cargo build -q --workspace --all-targets
times=()
for i in $(seq 1 "$runs"); do
  sed -i "s|^$line\( (edit [0-9]*)\)\?\$|$line (edit $i)|" "$file"
  start=$(date +%s.%N)
  cargo build -q --workspace --all-targets
  end=$(date +%s.%N)
  t=$(echo "$end - $start" | bc)
  times+=("$t")
  printf 'run %d: %.1f s\n' "$i" "$t"
done
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "median of %d: %.1f s\n", NR, a[int((NR+1)/2)]}'
