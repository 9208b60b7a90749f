#!/usr/bin/env bash
# Clean release builds and stripped sizes, this repository's crates against aws-sdk-neptune, in one
# run so that the ratios compare:
#   * a program making one FailoverGlobalCluster call answered in memory (no HTTP stack), with
#     neptune-client and with aws-sdk-neptune (no default features);
#   * the `neptune` command (HTTPS, the credential and region chains), and a program making one
#     call with aws-sdk-neptune and aws-config over HTTPS (their default features).
# Each build starts from an empty target directory; crates are downloaded before the clock starts.
# Run from the repository root: benches/build-size/run.sh [work dir, default /tmp/build-size-bench]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
checkout=$PWD
[ -f "$checkout/crates/neptune-cli/Cargo.toml" ] || { echo "run this from the repository root" >&2; exit 2; }
work=${1:-/tmp/build-size-bench}
mkdir -p "$work"

# Copies a program's template into $work/$1 and fetches its dependencies.
prepare() {
  rm -rf "${work:?}/$1"
  mkdir -p "$work/$1/src"
  sed "s|@CHECKOUT@|$checkout|g" "$here/$1/Cargo.toml.in" > "$work/$1/Cargo.toml"
  cp "$here/$1/src/main.rs" "$work/$1/src/main.rs"
  (cd "$work/$1" && cargo fetch --quiet)
}

# Builds in release from an empty target dir; prints the wall time, CPU time and stripped size.
build() {
  local dir=$1 binary=$2 target=$work/target-$3
  shift 3
  rm -rf "$target"
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -f "%U %S" -o "$work/cpu" \
    env CARGO_TARGET_DIR="$target" cargo build --release --quiet --offline "$@" --manifest-path "$dir/Cargo.toml"
  end=$(date +%s.%N)
  strip -o "$work/stripped" "$target/release/$binary"
  local cpu size
  cpu=$(awk '{print $1 + $2}' "$work/cpu")
  size=$(stat -c %s "$work/stripped")
  echo "$(echo "$end - $start" | bc) $cpu $size"
  rm -rf "$target"
}

row() {
  printf '%-46s %8.1f s %8.1f s CPU %10s bytes (%.2f MiB)\n' "$1" "$2" "$3" "$4" "$(echo "$4 / 1048576" | bc -l)"
}
ratio() {
  printf '%-46s %8.1f×   %8.1f×       %10.1f×\n' "$1" "$(echo "$5 / $2" | bc -l)" "$(echo "$6 / $3" | bc -l)" "$(echo "$7 / $4" | bc -l)"
}

prepare ours
prepare sdk
prepare sdk-https
(cd "$checkout" && cargo fetch --quiet)

echo "clean release builds, stripped x86_64 binaries (load average $(cut -d' ' -f1-3 /proc/loadavg))"
read -r ow oc os < <(build "$work/ours" one-call-ours ours)
row "one call, neptune-client" "$ow" "$oc" "$os"
read -r sw sc ss < <(build "$work/sdk" one-call-sdk sdk)
row "one call, aws-sdk-neptune" "$sw" "$sc" "$ss"
ratio "  aws-sdk-neptune / ours" "$ow" "$oc" "$os" "$sw" "$sc" "$ss"
read -r nw nc ns < <(build "$checkout" neptune neptune -p neptune-cli)
row "neptune (HTTPS, credential chains)" "$nw" "$nc" "$ns"
read -r hw hc hs < <(build "$work/sdk-https" https-sdk sdk-https)
row "aws-sdk-neptune + aws-config, HTTPS" "$hw" "$hc" "$hs"
ratio "  aws-sdk-neptune / neptune" "$nw" "$nc" "$ns" "$hw" "$hc" "$hs"
echo "(load average after: $(cut -d' ' -f1-3 /proc/loadavg))"
