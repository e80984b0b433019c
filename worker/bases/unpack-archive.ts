// An uploaded .tar / .tar.gz / .zip of a model folder, unpacked for registration. Only plain
// files and folders come out (no links, no absolute paths, nothing above the target), and the
// model folder is the one holding config.json: the archive's top level, or its one folder.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import AdmZip from 'adm-zip';
import * as tar from 'tar';

export const ARCHIVE = /\.(tar|tgz|tar\.gz|zip)$/i;
const MAX_UNPACKED_BYTES = 16 * 1024 ** 3;

/** A refusal of the archive itself; the message says what is wrong with it. */
export class ArchiveError extends Error {}

async function unzip(file: string, into: string): Promise<void> {
  let zip: AdmZip;
  try {
    zip = new AdmZip(file);
  } catch (e) {
    throw new ArchiveError(`${path.basename(file)} is not a readable zip archive (${(e as Error).message}).`);
  }
  const entries = zip.getEntries();
  const total = entries.reduce((n, e) => n + e.header.size, 0);
  if (total > MAX_UNPACKED_BYTES) throw new ArchiveError(`${path.basename(file)} unpacks to ${total} bytes, more than ${MAX_UNPACKED_BYTES}.`);
  for (const e of entries) {
    const name = path.posix.normalize(e.entryName.replace(/\\/g, '/'));
    if (name.startsWith('../') || path.posix.isAbsolute(name)) throw new ArchiveError(`${path.basename(file)} has an entry outside its folder: ${e.entryName}`);
    const target = path.join(into, name);
    if (e.isDirectory) {
      await fs.mkdir(target, { recursive: true });
      continue;
    }
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(target, e.getData());
  }
}

async function untar(file: string, into: string): Promise<void> {
  try {
    // node-tar strips absolute paths and `..` by default; links and devices are skipped here.
    await tar.x({ file, cwd: into, strict: true, filter: (_p, entry) => 'type' in entry && (entry.type === 'File' || entry.type === 'Directory' || entry.type === 'OldFile') });
  } catch (e) {
    throw new ArchiveError(`${path.basename(file)} is not a readable tar archive (${(e as Error).message}).`);
  }
}

/** The folder with config.json: `dir` itself or its single sub-folder that has one (2 levels at most). */
export async function findModelFolder(dir: string): Promise<string> {
  const found: string[] = [];
  async function visit(d: string, depth: number) {
    const entries = await fs.readdir(d, { withFileTypes: true });
    if (entries.some((e) => e.isFile() && e.name === 'config.json')) {
      found.push(d);
      return;
    }
    if (depth < 2) for (const e of entries) if (e.isDirectory() && e.name !== '__MACOSX') await visit(path.join(d, e.name), depth + 1);
  }
  await visit(dir, 0);
  if (found.length === 0) throw new ArchiveError('The archive has no config.json: pack the model folder itself (config.json, model.safetensors and the tokenizer files).');
  if (found.length > 1) throw new ArchiveError(`The archive holds ${found.length} model folders (${found.map((f) => path.relative(dir, f)).join(', ')}); register one at a time.`);
  return found[0];
}

/** Unpacks `file` into `into` (created) and returns the model folder inside it. */
export async function unpackModelArchive(file: string, into: string): Promise<string> {
  await fs.mkdir(into, { recursive: true });
  if (/\.zip$/i.test(file)) await unzip(file, into);
  else await untar(file, into);
  return findModelFolder(into);
}
