#!/usr/bin/env bash
# Runs the training benchmarks on the device machine from what scripts/device/pack.sh put in
# .device/ (no Node.js or npm needed there). The `run` tool's command, with carry [".device"]:
#
#   bash scripts/device/run-bench.sh
#
# Steps: unpack node and the bundled app into $HONE_DEVICE_WORK (/tmp/hone-device); if the
# dynamic linker has no libvulkan.so.1, unpack the carried libvulkan1 deb into
# $HONE_DEVICE_ROOTFS (default /, then ldconfig; any other folder is put on LD_LIBRARY_PATH
# instead, which is how this script is tried on a developer machine without touching /); point
# VK_DRIVER_FILES at NVIDIA's ICD when the container has one; then
#   1. probe: start the WebGPU backend and print the adapter, or the one-line reason there is none
#   2. gpu-bench on WebGPU, presets small and large (12 layers, d 768, context 256)
#   3. the CPU path for comparison: gpu-bench small on wasm, and npm run bench:train's bundle on
#      wasm (bench/train-backend.ts reads tensors synchronously, so it cannot run on WebGPU in Node);
#      HONE_DEVICE_SKIP_CPU=1 skips this part
# Time limits per step (60 + 120 + 180 + 90 + 120 s) keep the whole run inside the run tool's
# 10 minutes.
# Results land in $OUT (the run tool's output folder; a temporary one if unset):
#   env.txt, probe.log, gpu-small.log, gpu-large.log, cpu-small.log, bench-train-cpu.log,
#   summary.json (each run's last JSON line). Exit status: 0 when the WebGPU runs succeeded,
#   2 when there was no adapter (the CPU path still ran), 1 on other failures.
set -uo pipefail
cd "$(dirname "$0")/../.."
DEV=${HONE_DEVICE_DIR:-$PWD/.device}
WORK=${HONE_DEVICE_WORK:-/tmp/hone-device}
ROOTFS=${HONE_DEVICE_ROOTFS:-/}
OUT=${OUT:-$(mktemp -d)}
mkdir -p "$OUT" "$WORK"
say() { echo "[run-bench] $*"; }

for f in "$DEV/node.xz" "$DEV/app.tar.xz"; do
  [ -f "$f" ] || { say "missing $f: run scripts/device/pack.sh here first and carry .device"; exit 1; }
done

say "unpacking node and the app into $WORK"
xz -dc "$DEV/node.xz" >"$WORK/node" && chmod +x "$WORK/node" || { say "could not unpack node"; exit 1; }
tar -C "$WORK" -xJf "$DEV/app.tar.xz" || { say "could not unpack app.tar.xz"; exit 1; }
NODE=$WORK/node
APP=$WORK/app
"$NODE" --version >/dev/null || { say "the carried node does not run here"; exit 1; }

if ldconfig -p 2>/dev/null | grep -q 'libvulkan\.so\.1'; then
  say "Vulkan loader already present"
elif compgen -G "$DEV/debs/*.deb" >/dev/null; then
  say "installing the Vulkan loader from $DEV/debs into $ROOTFS"
  mkdir -p "$ROOTFS"
  for f in "$DEV"/debs/*.deb; do dpkg -x "$f" "$ROOTFS"; done
  if [ "$ROOTFS" = / ]; then
    ldconfig
  else
    export LD_LIBRARY_PATH="$ROOTFS/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  fi
else
  say "no libvulkan.so.1 and no carried debs: WebGPU will report that"
fi
NVIDIA_ICD=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
if [ -z "${VK_DRIVER_FILES:-}" ] && [ -f "$NVIDIA_ICD" ]; then export VK_DRIVER_FILES=$NVIDIA_ICD; fi

{
  echo "date: $(date -u +%FT%TZ)"
  echo "host: $(uname -a)"
  echo "node: $("$NODE" --version)"
  echo "cpus: $(nproc)"
  echo "VK_DRIVER_FILES=${VK_DRIVER_FILES:-}"
  echo "LD_LIBRARY_PATH=${LD_LIBRARY_PATH:-}"
  command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
  cat "$DEV/manifest.txt" 2>/dev/null
} >"$OUT/env.txt" 2>&1
cat "$OUT/env.txt"

# run NAME TIMEOUT ARGS…: node app/ARGS…, log to $OUT/NAME.log, last JSON line kept for the summary.
declare -A STATUS
run() {
  local name=$1 limit=$2
  shift 2
  say "$name: $*"
  timeout "$limit" "$NODE" "$@" 2>&1 | grep -v 'artificially reduced' | tee "$OUT/$name.log"
  STATUS[$name]=${PIPESTATUS[0]}
  say "$name: exit ${STATUS[$name]}"
}

rc=0
run probe 60 "$APP/gpu-bench.mjs" --probe --backend webgpu
if [ "${STATUS[probe]}" = 0 ]; then
  # HONE_DEVICE_GPU_ARGS adds arguments (e.g. "--steps 1 --batch 2" for a quick try on lavapipe).
  # shellcheck disable=SC2086
  run gpu-small 120 "$APP/gpu-bench.mjs" --preset small --backend webgpu ${HONE_DEVICE_GPU_ARGS:-}
  # shellcheck disable=SC2086
  run gpu-large 180 "$APP/gpu-bench.mjs" --preset large --backend webgpu ${HONE_DEVICE_GPU_ARGS:-}
  [ "${STATUS[gpu-small]}" = 0 ] && [ "${STATUS[gpu-large]}" = 0 ] || rc=1
else
  say "WebGPU unavailable: $(grep -m1 -o 'no WebGPU adapter.*' "$OUT/probe.log" || tail -n1 "$OUT/probe.log")"
  rc=2
fi
# The CPU path for comparison (HONE_DEVICE_SKIP_CPU=1 leaves it out, to keep a run short).
if [ -z "${HONE_DEVICE_SKIP_CPU:-}" ]; then
  # shellcheck disable=SC2086
  run cpu-small "${HONE_DEVICE_CPU_LIMIT:-90}" "$APP/gpu-bench.mjs" --preset small --backend wasm --steps 3 ${HONE_DEVICE_CPU_ARGS:-}
  if [ -f "$APP/bench-train.mjs" ]; then
    HONE_TF_BACKEND=wasm run bench-train-cpu "${HONE_DEVICE_CPU_LIMIT:-120}" "$APP/bench-train.mjs"
  fi
fi

"$NODE" -e '
const fs = require("fs"); const path = require("path"); const out = process.argv[1];
const summary = {};
for (const f of fs.readdirSync(out).filter((f) => f.endsWith(".log"))) {
  const lines = fs.readFileSync(path.join(out, f), "utf8").trim().split("\n").reverse();
  const json = lines.find((l) => l.startsWith("{"));
  try { summary[f.replace(/\.log$/, "")] = json ? JSON.parse(json) : { error: lines[0] || "no output" }; }
  catch { summary[f.replace(/\.log$/, "")] = { error: json }; }
}
fs.writeFileSync(path.join(out, "summary.json"), JSON.stringify(summary, null, 2));
' "$OUT"
say "results in $OUT: $(ls "$OUT" | tr '\n' ' ')"
exit $rc
