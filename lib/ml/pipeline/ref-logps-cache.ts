// The reference's log-probs of a DPO run, cached on disk: the frozen SFT model's Σ log π_ref of
// every completion depends only on its weights, the token ids it scores and the length they were
// cut to, so a resumed or repeated run on the same snapshot skips the reference pass entirely.
//
// Key: sha256 over (format version, sha256 of the reference's model.safetensors, maxLength, the
// encoded token ids and reply starts of every completion in order). The weights are hashed by
// content, not by size and mtime: a copy or a re-save hits, and a folder rewritten in place with
// other weights can never hit (hashing reads the file once, far less than a forward over the data).
// A file that does not parse, carries another key or does not fit the rankings is ignored and
// rewritten; files are written whole (temporary name, then rename).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { FILES } from '../checkpoint';
import type { EncodedPreference } from '../train/dpo';

const FORMAT = 'hone-ref-logps';
const VERSION = 1;

/** sha256 of a checkpoint folder's model.safetensors (streamed). */
export async function weightsDigest(dir: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path.join(dir, FILES.model))) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The cache key of a reference pass: weights, length cut, and every completion's ids. */
export function refCacheKey(weights: string, maxLength: number, rankings: EncodedPreference[]): string {
  const hash = createHash('sha256');
  hash.update(`${FORMAT}/${VERSION}\n${weights}\n${maxLength}\n${rankings.length}\n`);
  for (const r of rankings) {
    hash.update(`${r.seqs.length}:`);
    r.seqs.forEach((s, i) => hash.update(`${r.replyStart[i]}|${s.join(',')};`));
    hash.update('\n');
  }
  return hash.digest('hex');
}

/** The cache file of a key inside `dir` (one file per key: several snapshots may share a folder). */
export function refCacheFile(dir: string, key: string): string {
  return path.join(dir, `ref-logps-${key.slice(0, 24)}.json`);
}

type CacheFile = { format: string; version: number; key: string; logps: number[][] };

/** The cached sums for `key`, or null when there is no usable file (missing, corrupt, another key, another shape). */
export async function readRefCache(dir: string, key: string, rankings: EncodedPreference[]): Promise<number[][] | null> {
  let parsed: CacheFile;
  try {
    parsed = JSON.parse(await readFile(refCacheFile(dir, key), 'utf8')) as CacheFile;
  } catch {
    return null;
  }
  if (!parsed || parsed.format !== FORMAT || parsed.version !== VERSION || parsed.key !== key || !Array.isArray(parsed.logps)) return null;
  if (parsed.logps.length !== rankings.length) return null;
  const fits = parsed.logps.every((row, i) => Array.isArray(row) && row.length === rankings[i].seqs.length && row.every((v) => typeof v === 'number' && Number.isFinite(v)));
  return fits ? parsed.logps : null;
}

/** Writes the sums for `key` (whole: a temporary file renamed into place). */
export async function writeRefCache(dir: string, key: string, logps: number[][]): Promise<void> {
  await mkdir(dir, { recursive: true });
  const file = refCacheFile(dir, key);
  const tmp = `${file}.${process.pid}.tmp`;
  const body: CacheFile = { format: FORMAT, version: VERSION, key, logps };
  await writeFile(tmp, JSON.stringify(body));
  await rename(tmp, file);
}
