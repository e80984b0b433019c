#!/usr/bin/env bash
# Runs the training benchmarks on the device machine from what scripts/device/pack.sh put in
# .device/ (no Node.js or npm needed there). The `run` tool's command, with carry [".device"]
# and timeout_s 600:
#
#   bash scripts/device/run-bench.sh
#
# Steps: unpack node and the bundled app into $HONE_DEVICE_WORK (/tmp/hone-device); if the
# dynamic linker has no libvulkan.so.1, unpack the carried libvulkan1 deb into
# $HONE_DEVICE_ROOTFS (default /, then ldconfig; any other folder is put on LD_LIBRARY_PATH
# instead, which is how this script is tried on a developer machine without touching /); point
# VK_DRIVER_FILES at NVIDIA's ICD when the container has one; then, each under its own limit:
#   probe      start the WebGPU backend and print the adapter, or the one-line reason there is none
#   gpu-small  gpu-bench on WebGPU, preset small: SFT, RM, PPO rollout + update, sampling, matmul
#   gpu-large  the same at GPT-2-small's shape (12 layers, d 768, 12 heads, context 256)
#   cpu-small  the same small bench on wasm (one thread): the CPU figures the ratios divide by;
#              HONE_DEVICE_SKIP_CPU=1 skips it
# Limits 45 + 110 + 180 + 100 s (times HONE_DEVICE_TIME_SCALE, default 1, for slow machines) keep
# the whole inside 8 minutes; each bench gets --budget 20 s under its limit, so it stops starting
# parts and prints what it has before the hard stop.
# HONE_DEVICE_GPU_ARGS / HONE_DEVICE_CPU_ARGS add gpu-bench arguments (e.g. "--steps 1 --batch 2").
# Results land in $OUT (the run tool's output folder; a temporary one if unset): env.txt,
# probe.log, gpu-small.log, gpu-large.log, cpu-small.log and summary.json (scripts/device/summary.ts:
# each run's result, WebGPU/CPU ratios, the aims); its headline is the last line printed.
# Exit status: 0 when the WebGPU runs succeeded, 2 when there was no adapter (the CPU part still
# ran), 1 on other failures.
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

SCALE=${HONE_DEVICE_TIME_SCALE:-1}
[[ $SCALE =~ ^[1-9][0-9]*$ ]] || { say "HONE_DEVICE_TIME_SCALE must be a positive integer, got '$SCALE'"; exit 1; }
GPU_NAME=$(command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | head -n1)

# run NAME LIMIT ARGS…: node ARGS… under LIMIT×SCALE seconds (gpu-bench runs get --budget 20 s
# less), log to $OUT/NAME.log; its exit status goes to the summary.
declare -A STATUS
run() {
  local name=$1 limit=$(($2 * SCALE))
  shift 2
  local budget=()
  [[ $1 == *gpu-bench.mjs && " $* " != *" --probe "* ]] && budget=(--budget $((limit - 20)))
  say "$name: $* ${budget[*]} (limit ${limit} s)"
  timeout -k 10 "$limit" "$NODE" "$@" "${budget[@]}" 2>&1 | grep --line-buffered -v 'artificially reduced' | tee "$OUT/$name.log"
  STATUS[$name]=${PIPESTATUS[0]}
  say "$name: exit ${STATUS[$name]}"
}

rc=0
T0=$SECONDS
run probe 45 "$APP/gpu-bench.mjs" --probe --backend webgpu ${GPU_NAME:+--gpu-name "$GPU_NAME"}
if [ "${STATUS[probe]}" = 0 ]; then
  # shellcheck disable=SC2086
  run gpu-small 110 "$APP/gpu-bench.mjs" --preset small --backend webgpu ${GPU_NAME:+--gpu-name "$GPU_NAME"} ${HONE_DEVICE_GPU_ARGS:-}
  # shellcheck disable=SC2086
  run gpu-large 180 "$APP/gpu-bench.mjs" --preset large --backend webgpu ${GPU_NAME:+--gpu-name "$GPU_NAME"} ${HONE_DEVICE_GPU_ARGS:-}
  [ "${STATUS[gpu-small]}" = 0 ] && [ "${STATUS[gpu-large]}" = 0 ] || rc=1
else
  say "WebGPU unavailable: $(grep -m1 -o 'no WebGPU adapter.*' "$OUT/probe.log" || tail -n1 "$OUT/probe.log")"
  rc=2
fi
if [ -z "${HONE_DEVICE_SKIP_CPU:-}" ]; then
  # One wasm thread, few steps and a small matmul: the CPU side of the ratios, not a CPU study.
  # shellcheck disable=SC2086
  HONE_WASM_THREADS= run cpu-small 100 "$APP/gpu-bench.mjs" --preset small --backend wasm --steps 2 --matmul 512 ${HONE_DEVICE_CPU_ARGS:-}
fi

args=()
for k in "${!STATUS[@]}"; do args+=("$k=${STATUS[$k]}"); done
say "runs took $((SECONDS - T0)) s; results in $OUT: $(ls "$OUT" | tr '\n' ' ')summary.json"
"$NODE" "$APP/summarize.mjs" "$OUT" "${args[@]}" || rc=1
exit $rc
