// Export file names a person can tell apart in a downloads folder: the project's slug, the
// snapshot (a frozen selection) or the day (live data changes), and the format — never ids alone.
//   hone-support-bot-rm_pairs-2026-12-03.jsonl          live data, downloaded that day
//   hone-support-bot-snapshot-c0mx6a1b-sft.jsonl.gz     a snapshot's export

const safe = (s: string) => s.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'data';

export function exportFileName(p: { slug: string | null; snapshotId: string | null; format: string; gzip: boolean; date?: Date }): string {
  const what = p.snapshotId ? `snapshot-${safe(p.snapshotId).slice(0, 8)}-${safe(p.format)}` : `${safe(p.format)}-${(p.date ?? new Date()).toISOString().slice(0, 10)}`;
  return `hone-${p.slug ? `${safe(p.slug)}-` : ''}${what}.jsonl${p.gzip ? '.gz' : ''}`;
}
