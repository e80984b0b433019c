// Export file names carry the project's slug, the snapshot or day, and the format.
import { describe, expect, it } from 'vitest';
import { exportFileName } from './export-file-name';

describe('exportFileName', () => {
  const date = new Date('2026-12-03T10:00:00Z');
  it('names live data by project, format and day', () => {
    expect(exportFileName({ slug: 'support-bot', snapshotId: null, format: 'rm_pairs', gzip: false, date })).toBe('hone-support-bot-rm_pairs-2026-12-03.jsonl');
  });
  it('names a snapshot export by project, snapshot and format', () => {
    expect(exportFileName({ slug: 'support-bot', snapshotId: 'c0mx6a1bqz9', format: 'sft', gzip: true, date })).toBe('hone-support-bot-snapshot-c0mx6a1b-sft.jsonl.gz');
  });
  it('keeps only safe characters, and does without a slug when the project is gone', () => {
    expect(exportFileName({ slug: null, snapshotId: 'x"y', format: 'a b', gzip: false, date })).toBe('hone-snapshot-x-y-a-b.jsonl');
  });
});
