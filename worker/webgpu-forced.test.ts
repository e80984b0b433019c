// A worker forced to WebGPU (HONE_TF_BACKEND=webgpu) on a machine where the Vulkan loader finds
// no driver exits at start with one line saying why, and a nonzero status: no stack trace, no
// Dawn warnings (the reason is worked out before Dawn loads).
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');

describe('a worker forced to webgpu without an adapter', () => {
  it('exits 1 at start with one line naming what is missing', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, HONE_TF_BACKEND: 'webgpu', VK_DRIVER_FILES: '/nonexistent.json', HONE_WORKER_QUEUES: 'train' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    const lines = out.split('\n').filter((l) => l.trim());
    expect(lines, out).toHaveLength(1);
    expect(code).toBe(1);
    const line = JSON.parse(lines[0]) as { level: string; msg: string; error: string };
    expect(line).toMatchObject({ level: 'error', msg: 'worker cannot start' });
    expect(line.error).toBe(
      'TensorFlow.js backend "webgpu" was forced but is unavailable: no WebGPU adapter: VK_DRIVER_FILES names /nonexistent.json, ' +
        'which does not exist, so the Vulkan loader has no driver (see docs/gpu.md)',
    );
  }, 20_000);
});
