// Where export job files live: <HONE_EXPORT_ROOT>/<jobId>.jsonl[.gz] and its manifest
// <jobId>.manifest.json. While writing, the data goes to a dot-file ending in .partial, which
// is renamed only once complete; the manifest is written (temp + rename) after that, so a
// data file without its manifest, or any .partial file, is never a finished export.
import path from 'node:path';
import { env } from '../../env';

export function exportRoot(): string {
  return path.resolve(env().HONE_EXPORT_ROOT);
}

export function exportPaths(jobId: string, gzip: boolean) {
  const root = exportRoot();
  const file = path.join(root, `${jobId}.jsonl${gzip ? '.gz' : ''}`);
  return {
    root,
    file,
    partial: path.join(root, `.${jobId}.jsonl${gzip ? '.gz' : ''}.partial`),
    manifest: path.join(root, `${jobId}.manifest.json`),
    manifestPartial: path.join(root, `.${jobId}.manifest.json.partial`),
  };
}
