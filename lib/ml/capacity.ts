// What a worker can take, measured once at start on its live backend: matmul throughput and the
// memory the backend may use. The launch form and the launcher size plans with it
// (lib/shared/model-sizing.ts); the worker puts it in its heartbeat's info.capacity.
import fs from 'node:fs';
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs-core';
import { WASM_HEAP_LIMIT } from './backend';
import type { WorkerCapacity } from '../shared/model-sizing';

/** The probe: one GPT-2 MLP matmul, [512 tokens, 768] × [768, 3072] (2.4 GFLOP). */
const M = 512;
const K = 768;
const N = 3072;

/**
 * GFLOP/s of [512,768]×[768,3072] on the live backend: one warm-up (kernel compilation, the
 * allocator), then reps until `budgetMs` has passed (at least 3, at most 8), the fastest counted. Awaiting
 * the result's data times asynchronous backends (WebGPU) to completion. On a backend so
 * slow that the warm-up alone outlasts the budget (plain JS: ~5 s), the warm-up is the figure.
 */
export async function probeMatmulGflops(budgetMs = 1500): Promise<number> {
  const a = tf.randomNormal([M, K]);
  const b = tf.randomNormal([K, N]);
  try {
    const once = async () => {
      const c = tf.matMul(a, b);
      await c.data();
      c.dispose();
    };
    const w0 = performance.now();
    await once();
    const warm = performance.now() - w0;
    if (warm > budgetMs) return (2 * M * K * N) / (warm / 1000) / 1e9;
    // The fastest rep: other processes on a shared machine only ever slow a rep down.
    let reps = 0;
    let best = Infinity;
    const t0 = performance.now();
    while (reps < 8 && (reps < 3 || performance.now() - t0 < budgetMs)) {
      const r0 = performance.now();
      await once();
      best = Math.min(best, performance.now() - r0);
      reps++;
    }
    return (2 * M * K * N) / (best / 1000) / 1e9;
  } finally {
    tf.dispose([a, b]);
  }
}

/**
 * Milliseconds per small op (the median of three chains of 100 adds of [64,64] tensors): the fixed
 * cost every kernel launch pays, which dominates the step of a small model.
 */
export async function probeOpMs(): Promise<number> {
  const a = tf.ones([64, 64]);
  try {
    const chain = async (n: number) => {
      let x = a;
      for (let i = 0; i < n; i++) {
        const y = tf.add(x, a);
        if (x !== a) x.dispose();
        x = y;
      }
      await x.data();
      x.dispose();
    };
    await chain(20);
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      await chain(100);
      times.push((performance.now() - t0) / 100);
    }
    return times.sort((x, y) => x - y)[1];
  } finally {
    a.dispose();
  }
}

/** The container's memory limit (cgroup v2, then v1), when one is set below the machine's. */
function cgroupLimit(): number | null {
  for (const f of ['/sys/fs/cgroup/memory.max', '/sys/fs/cgroup/memory/memory.limit_in_bytes']) {
    try {
      const v = Number(fs.readFileSync(f, 'utf8').trim());
      if (Number.isFinite(v) && v > 0 && v < os.totalmem()) return v;
    } catch {
      // not this cgroup version
    }
  }
  return null;
}

/** Total memory of the first CUDA device, from nvidia-smi (null when it is not there). */
function cudaMemory(): number | null {
  try {
    const out = execFileSync('nvidia-smi', ['--query-gpu=memory.total', '--format=csv,noheader,nounits'], { encoding: 'utf8', timeout: 5000 });
    const mib = Number(out.split('\n')[0].trim());
    return Number.isFinite(mib) && mib > 0 ? mib * 1024 ** 2 : null;
  } catch {
    return null;
  }
}

/** The memory a backend may use, and where that figure comes from. */
export function memoryLimit(backend: string, opts: { softwareAdapter?: boolean } = {}): { bytes: number | null; source: string } {
  const cg = cgroupLimit();
  const host = cg ?? os.totalmem();
  const hostSource = cg ? 'the container memory limit' : 'os.totalmem()';
  if (backend === 'wasm') return host < WASM_HEAP_LIMIT ? { bytes: host, source: hostSource } : { bytes: WASM_HEAP_LIMIT, source: 'the 4 GiB wasm32 heap' };
  if (backend === 'tensorflow-gpu') {
    const gpu = cudaMemory();
    return gpu ? { bytes: gpu, source: 'nvidia-smi memory.total' } : { bytes: null, source: 'unknown: nvidia-smi did not answer' };
  }
  // A software WebGPU adapter (lavapipe, SwiftShader) computes in host memory; a hardware one
  // does not report its device memory through WebGPU's limits.
  if (backend === 'webgpu') return opts.softwareAdapter ? { bytes: host, source: `${hostSource} (software adapter)` } : { bytes: null, source: 'unknown: WebGPU does not report device memory' };
  return { bytes: host, source: hostSource };
}

/** Measures the live backend: matmul GFLOP/s and the memory limit. */
export async function measureCapacity(backend: string, opts: { softwareAdapter?: boolean; budgetMs?: number } = {}): Promise<WorkerCapacity> {
  const gflops = await probeMatmulGflops(opts.budgetMs);
  const opMs = await probeOpMs();
  const mem = memoryLimit(backend, opts);
  return { gflops: Math.round(gflops * 10) / 10, opMs: Math.round(opMs * 1000) / 1000, memoryBytes: mem.bytes, memorySource: mem.source, measuredAt: new Date().toISOString() };
}
