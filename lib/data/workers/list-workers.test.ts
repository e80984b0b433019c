// The admin page's view of a heartbeat row: backend, why, and the WebGPU adapter with limits.
import { describe, expect, it } from 'vitest';
import { toWorkerView } from './list-workers';

const at = new Date('2026-11-24T12:00:00Z');
const row = { id: 'gpu1:42:abc', hostname: 'gpu1', queues: ['train', 'sample', 'health'], backend: 'webgpu', lastSeenAt: at, startedAt: at };

describe('toWorkerView', () => {
  it('reads the backend reason and the adapter report a GPU worker writes', () => {
    const v = toWorkerView({
      ...row,
      info: {
        node: 'v20.20.2',
        backendReason: 'forced (webgpu)',
        adapter: {
          vendor: 'nvidia',
          architecture: 'hopper',
          device: '',
          description: 'NVIDIA H100 80GB HBM3',
          software: false,
          limits: { maxBufferSize: 4294967296, maxStorageBufferBindingSize: 2147483644, maxComputeWorkgroupStorageSize: 49152 },
          features: ['timestamp-query'],
        },
      },
    });
    expect(v).toMatchObject({ backend: 'webgpu', backendReason: 'forced (webgpu)', node: 'v20.20.2', lastSeenAt: '2026-11-24T12:00:00.000Z' });
    expect(v.adapter).toEqual({
      description: 'NVIDIA H100 80GB HBM3',
      vendor: 'nvidia',
      architecture: 'hopper',
      software: false,
      maxBufferSize: 4294967296,
      maxStorageBufferBindingSize: 2147483644,
      maxComputeWorkgroupStorageSize: 49152,
    });
  });

  it('carries the engine a native worker reports', () => {
    const v = toWorkerView({ ...row, backend: 'tensorflow', info: { backendReason: 'auto: …', engine: 'TensorFlow 2.21.0 native, through @tensorflow/tfjs-node 4.22.0' } });
    expect(v).toMatchObject({ backend: 'tensorflow', engine: 'TensorFlow 2.21.0 native, through @tensorflow/tfjs-node 4.22.0', threads: null });
  });

  it('shows a worker without TensorFlow, and tolerates odd info', () => {
    const exportOnly = toWorkerView({ ...row, queues: ['export', 'health'], backend: null, info: { node: 'v20', tensorflow: 'not loaded (no train/sample/infer queue)' } });
    expect(exportOnly).toMatchObject({ backend: null, backendReason: 'not loaded (no train/sample/infer queue)', adapter: null, threads: null });
    const odd = toWorkerView({ ...row, info: ['not', 'an', 'object'] });
    expect(odd).toMatchObject({ backendReason: null, adapter: null, node: null });
    expect(toWorkerView({ ...row, info: { adapter: { limits: 'x' } } }).adapter).toMatchObject({ description: 'unnamed adapter', maxBufferSize: null });
  });

  it('reads the capacity a train worker measured, and ignores a malformed one', () => {
    const capacity = { gflops: 41.5, opMs: 0.05, memoryBytes: 25275973632, memorySource: 'os.totalmem()', measuredAt: '2026-12-03T05:00:00.000Z' };
    expect(toWorkerView({ ...row, backend: 'tensorflow', info: { capacity } }).capacity).toEqual(capacity);
    expect(toWorkerView({ ...row, info: { capacity: { gflops: 'fast' } } }).capacity).toBeNull();
    expect(toWorkerView({ ...row, info: {} }).capacity).toBeNull();
  });
});
