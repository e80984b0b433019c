// A 100,000-judgement export streams in bounded memory: heap growth stays far below the size
// of the output, because rows come from a cursor a batch at a time and leave as bytes.
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedBulkJudgements } from './bulk-seed';
import { closeExportPools, exportPool } from './cursor';
import { openExport } from './stream-export';

let projectId = '';

beforeAll(async () => {
  ({ projectId } = await seedBulkJudgements(exportPool(), { prefix: 'bm', sets: 25_000, labelers: 4, k: 4 }));
}, 300_000);
afterAll(() => closeExportPools());

const mb = (n: number) => Math.round(n / 2 ** 20);

describe('streaming export of 100,000 judgements', () => {
  it('keeps heap growth bounded while writing hundreds of MB', async () => {
    // Measure live (retained) heap, not garbage waiting for collection: force a full GC
    // before each sample.
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    gc();
    const base = process.memoryUsage().heapUsed;
    let peak = 0;
    let bytes = 0;
    let sampled = 0;
    const out = await openExport({ format: 'judgements', filter: { projectId } });
    for await (const chunk of out.chunks) {
      bytes += chunk.length;
      if (++sampled % 10 === 0) {
        gc();
        peak = Math.max(peak, process.memoryUsage().heapUsed - base);
      }
    }
    console.log(`[bounded-memory] ${out.stats.rows} rows, ${mb(bytes)} MB written, peak heap growth ${mb(peak)} MB`);
    expect(out.stats.rows).toBe(100_000);
    expect(bytes).toBeGreaterThan(80 * 2 ** 20);
    // The output is ~110 MB; what stays live mid-export is one cursor batch and one chunk.
    expect(peak).toBeLessThan(32 * 2 ** 20);
  }, 300_000);
});
