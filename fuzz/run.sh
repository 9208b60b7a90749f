#!/usr/bin/env bash
# Runs the fuzz targets with cargo-fuzz on the nightly toolchain, each for SECONDS (default 600),
# seeded from ../shared/fixtures and the regression inputs of crates/neptune-fuzz.
#   fuzz/run.sh [SECONDS] [TARGET...]
# Needs `cargo install cargo-fuzz` and a nightly toolchain. Corpora and findings stay under
# fuzz/corpus and fuzz/artifacts (ignored by git); a finding is to be added to
# crates/neptune-fuzz/tests/regressions/ with the fix.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(responses xml scalars urls profiles cli_args tokens)
fixtures=../../shared/fixtures
for target in "${targets[@]}"; do
  corpus="corpus/$target"
  mkdir -p "$corpus"
  if [ -d "$fixtures" ]; then
    find "$fixtures" -type f | while read -r file; do
      cp "$file" "$corpus/seed-$(basename "$file")"
    done
  fi
  cp ../crates/neptune-fuzz/tests/regressions/* "$corpus/" 2>/dev/null || true
  echo "==> $target for ${seconds}s"
  cargo +nightly fuzz run "$target" "$corpus" -- -max_total_time="$seconds" -rss_limit_mb=2048 \
    -max_len=65536 -print_final_stats=1
done
