// Every format on the seeded fixture dataset against its golden file in __golden__/.
// Regenerate after an intended change with: UPDATE_GOLDEN=1 npx vitest run lib/data/exports/golden.test.ts
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeExportPools, exportPool } from './cursor';
import { FORMATS } from './formats';
import { openExport } from './stream-export';
import { seedExportDataset } from './test-dataset';

const GOLDEN = path.join(import.meta.dirname, '__golden__');
let projectId = '';

async function collect(chunks: AsyncGenerator<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of chunks) parts.push(c);
  return Buffer.concat(parts);
}

beforeAll(async () => {
  ({ projectId } = await seedExportDataset(exportPool(), 'gx'));
});
afterAll(() => closeExportPools());

describe('export formats match their golden files', () => {
  for (const format of FORMATS) {
    it(`${format.id}`, async () => {
      const out = await openExport({ format: format.id, filter: { projectId } });
      const text = (await collect(out.chunks)).toString('utf8');
      const file = path.join(GOLDEN, `${format.id}.jsonl`);
      if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
        mkdirSync(GOLDEN, { recursive: true });
        writeFileSync(file, text);
      }
      expect(text).toBe(readFileSync(file, 'utf8'));
      const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l));
      expect(lines.length).toBe(out.stats.rows);
      expect(lines.length).toBeGreaterThan(0);
      for (const l of lines) expect(Object.keys(l)).toEqual(format.fields);
    });
  }

  it('gzip gives the same bytes once decompressed', async () => {
    const plain = await collect((await openExport({ format: 'judgements', filter: { projectId } })).chunks);
    const gz = await collect((await openExport({ format: 'judgements', filter: { projectId }, gzip: true })).chunks);
    expect(gz[0]).toBe(0x1f);
    expect(gunzipSync(gz).equals(plain)).toBe(true);
  });
});

describe('format semantics on the fixture', () => {
  const lines = async (format: string, filter: Record<string, unknown> = {}) =>
    (await collect((await openExport({ format, filter: { projectId, ...filter } })).chunks)).toString().trimEnd().split('\n').map((l) => JSON.parse(l));

  it('pairwise: ties give no pair, margin is the tier distance', async () => {
    const rows = await lines('pairwise');
    // tiers per judgement: 4 strict tiers → 6 pairs; [[1],[0],[2,3]] → 5; [[0,1],[2],[3]] → 5; [[2],[0,1],[3]] → 5
    // … and one edit pair: carol's edit m2e of the suggestion m2 (edited ≻ raw)
    expect(rows.length).toBe(6 + 6 + 5 + 5 + 5 + 6 + 5 + 6 + 1);
    expect(rows.filter((r) => r.origin === 'edit').map((r) => [r.edit_id, r.chosen, r.rejected])).toEqual([['gx-m2e', 'Where to, and for how long?', 'Where would you like to go?']]);
    expect(rows.every((r) => r.margin >= 1 && r.chosen_index !== r.rejected_index)).toBe(true);
    const carol = rows.filter((r) => r.judgement_id === 'gx-j-s1-carol');
    expect(carol.map((r) => [r.chosen_index, r.rejected_index, r.margin])).toEqual([
      [1, 0, 1],
      [1, 2, 2],
      [1, 3, 2],
      [0, 2, 1],
      [0, 3, 1],
    ]);
  });

  it('anthropic-hh: transcripts in the Human/Assistant convention, dialogue context included', async () => {
    const rows = await lines('anthropic-hh');
    expect(rows[0].chosen).toBe('\n\nHuman: What is the capital of France?\n\nAssistant: Paris.');
    const dialogue = rows.find((r) => r.chosen.includes('Lisbon'));
    expect(dialogue.chosen.startsWith('\n\nHuman: Help me plan a trip.\n\nAssistant: Where to, and for how long?\n\nHuman: Lisbon, 3 days.\n\nAssistant: ')).toBe(true);
  });

  it('sft-messages: suggestions replaced by edits, the stored main branch (every branch with branches=all)', async () => {
    const rows = await lines('sft-messages');
    const dialogue = rows.filter((r) => r.messages[0].content === 'Help me plan a trip.');
    expect(dialogue.map((r) => r.messages.at(-1).content)).toEqual(['Day 1: Alfama and the castle. Day 2: Belém. Day 3: Sintra.']);
    const all = (await lines('sft-messages', { branches: 'all' })).filter((r) => r.messages[0].content === 'Help me plan a trip.');
    expect(all.length).toBe(2);
    expect(JSON.stringify(all)).not.toContain('Where would you like to go?');
    expect(rows.filter((r) => r.messages.length === 2 && r.messages[0].content === 'Tell me a joke.').length).toBe(1);
  });

  it('filters by split, round and labeler', async () => {
    expect((await lines('judgements', { split: 'val' })).map((r) => r.judgement_id)).toEqual(['gx-j-s2-alice', 'gx-j-s2-bob', 'gx-j-s2-carol']);
    expect((await lines('judgements', { roundId: 'gx-round1' })).every((r) => r.round_id === 'gx-round1')).toBe(true);
    expect((await lines('judgements', { labelerIds: ['gx-bob'] })).map((r) => r.labeler_id)).toEqual(['gx-bob', 'gx-bob', 'gx-bob']);
    expect((await lines('judgements', { from: '2026-01-01T00:46:00Z', to: '2026-01-01T00:47:00Z' })).map((r) => r.judgement_id)).toEqual(['gx-j-s3-alice', 'gx-j-s3-bob']);
  });

  it('filters by labeler quality: gold agreement and leave-one-out agreement', async () => {
    // Only alice and bob are judged on the gold set s2: alice matches it (τ-b 1), carol reverses it.
    const gold = await lines('judgements', { minGoldAgreement: 0.9 });
    expect([...new Set(gold.map((r) => r.labeler_id))]).toEqual(['gx-alice']);
    const loo = await lines('judgements', { minAgreement: 0 });
    expect(loo.some((r) => r.labeler_id === 'gx-carol')).toBe(false);
  });

  it('bad input fails before the first byte with a clear error', async () => {
    await expect(openExport({ format: 'csv', filter: { projectId } })).rejects.toThrow(/Unknown export format "csv"/);
    await expect(openExport({ format: 'judgements', filter: { projectId: 'nope' } })).rejects.toThrow(/Project "nope" does not exist/);
    await expect(openExport({ format: 'judgements', filter: { projectId, from: '2030-01-01' } })).rejects.toThrow(/Nothing to export/);
    await expect(openExport({ format: 'judgements', filter: { projectId, minAgreement: 1 } })).rejects.toThrow(/agreement thresholds/);
    await expect(openExport({ format: 'judgements', filter: { projectId, to: '2020-01-01', from: '2021-01-01' } })).rejects.toThrow(/before the range starts/);
  });
});
