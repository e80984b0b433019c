// HONE_MODELS_DIR: the folder on the server where an operator puts Hugging Face model folders
// (copied from a machine with internet: see docs/operators.md). An admin registers one by its
// name in that folder; paths outside it are refused, so the web app never reads other folders.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { env } from '../../env';
import { AppError } from '../errors';

export function modelsDir(): string {
  return path.resolve(env().HONE_MODELS_DIR);
}

/** The absolute folder of a name in HONE_MODELS_DIR ("gpt2", "openai-community/gpt2"); refuses escapes. */
export function modelFolderPath(name: string): string {
  const root = modelsDir();
  const abs = path.resolve(root, name);
  const rel = path.relative(root, abs);
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new AppError('INVALID_INPUT', `folder must name a folder inside the models folder ${root} (such as "gpt2"), got ${JSON.stringify(name)}.`, { field: 'folder' });
  }
  return abs;
}

export type ModelFolder = { name: string; files: string[]; weightsBytes: number | null };

/**
 * Folders of HONE_MODELS_DIR that look like Hugging Face models (a config.json), one or two
 * levels deep (the hub's "owner/name" layout), with their file names and weights size.
 */
export async function listModelFolders(): Promise<ModelFolder[]> {
  const root = modelsDir();
  const out: ModelFolder[] = [];
  async function visit(rel: string, depth: number) {
    const abs = path.join(root, rel);
    const entries = await fs.readdir(abs, { withFileTypes: true }).catch(() => []);
    if (rel && entries.some((e) => e.isFile() && e.name === 'config.json')) {
      const files = entries.filter((e) => e.isFile()).map((e) => e.name).sort();
      const st = await fs.stat(path.join(abs, 'model.safetensors')).catch(() => null);
      out.push({ name: rel.split(path.sep).join('/'), files, weightsBytes: st ? st.size : null });
      return;
    }
    if (depth >= 2) return;
    for (const e of entries) if (e.isDirectory() && !e.name.startsWith('.')) await visit(path.join(rel, e.name), depth + 1);
  }
  await visit('', 0);
  return out.sort((a, b) => a.name.localeCompare(b.name));
}
