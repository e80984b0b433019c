#!/usr/bin/env bash
# Builds .device/ (git-ignored) for running the training benchmarks on the device machine, which
# has no Node.js and cannot install anything. Run here, in the repository root:
#
#   scripts/device/pack.sh
#
# then on the device, through the `run` tool with carry [".device"] (see docs/gpu.md):
#
#   bash scripts/device/run-bench.sh
#
# .device/ holds:
#   node.xz            this machine's node binary (x86-64 Linux; the device is x86-64), xz
#   app.tar.xz         scripts/device/gpu-bench.ts (the trainers' step code and the sampler, timed)
#                      and scripts/device/summarize.ts bundled by esbuild into single .mjs files,
#                      plus the packages that cannot be bundled (scripts/device/copy-runtime.mjs):
#                      the tfjs backends with their .wasm binaries, and webgpu's dist/linux-x64/dawn.node
#   debs/*.deb         the Vulkan loader (libvulkan1, amd64) per the device README's recipe
#   manifest.txt       what was packed, with versions and sizes, and the size that travels
# The run tool sends the working tree and the carried paths together, at most 64 MiB: the check
# at the end counts both (git's tracked and untracked-not-ignored files plus .device/).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
DEV=$ROOT/.device
LIMIT_MIB=64

[ "$(uname -m)" = x86_64 ] || { echo "pack.sh: this machine is $(uname -m); the device needs an x86-64 node binary" >&2; exit 1; }
[ -d node_modules/esbuild ] || { echo "pack.sh: node_modules/esbuild missing: run npm ci" >&2; exit 1; }

# Keep .device/ out of git even where .gitignore is not consulted.
mkdir -p .git/info
grep -qxF '/.device/' .git/info/exclude 2>/dev/null || echo '/.device/' >>.git/info/exclude

rm -rf "$DEV"
mkdir -p "$DEV/debs"
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
mkdir -p "$STAGE/app"

echo "== bundling"
# What stays external and why: scripts/device/bundle.mjs.
ENTRIES=(scripts/device/gpu-bench.ts:gpu-bench scripts/device/summarize.ts:summarize)
for e in "${ENTRIES[@]}"; do
  src=${e%%:*}
  name=${e##*:}
  node scripts/device/bundle.mjs "$src" "$STAGE/app/$name.mjs"
done
node scripts/device/copy-runtime.mjs "$STAGE/app"

echo "== compressing"
tar -C "$STAGE" -cf - app | xz -T0 -6 >"$DEV/app.tar.xz"
xz -T0 -6 -c "$(command -v node)" >"$DEV/node.xz"

echo "== Vulkan loader (amd64 debs)"
o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
mkdir -p /tmp/amd64/partial
# shellcheck disable=SC2086
apt-get $o update -qq
# shellcheck disable=SC2086
(cd "$DEV/debs" && apt-get $o download -qq libvulkan1)

device_bytes=$(du -sb "$DEV" | cut -f1)
tree_bytes=$(git ls-files -z -co --exclude-standard | xargs -0 -r du -cb 2>/dev/null | awk 'END { print $1 + 0 }')
mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
{
  echo "packed $(date -u +%FT%TZ) on $(uname -m)"
  echo "node $(node --version)"
  echo "entries: ${ENTRIES[*]}"
  ls -l "$DEV" "$DEV/debs" | grep -v '^total'
  echo "size: .device $(mib "$device_bytes") MiB + working tree $(mib "$tree_bytes") MiB = $(mib $((device_bytes + tree_bytes))) MiB of the run tool's ${LIMIT_MIB} MiB"
} >"$DEV/manifest.txt"

echo "== $(tail -n1 "$DEV/manifest.txt")"
du -sh "$DEV"/* "$DEV"/debs/* | sed 's/^/   /'
if [ $((device_bytes + tree_bytes)) -gt $((LIMIT_MIB * 1048576)) ]; then
  echo "pack.sh: .device/ and the working tree are $(mib $((device_bytes + tree_bytes))) MiB, over the run tool's ${LIMIT_MIB} MiB" >&2
  exit 1
fi
