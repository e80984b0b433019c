// The `models` queue: register a Hugging Face GPT-2-family folder as a BASE checkpoint. The
// source is a folder in HONE_MODELS_DIR or an upload (its files, or one .tar/.zip of them).
// lib/ml/checkpoint/base-folder.ts validates it and writes the checkpoint folder atomically;
// the row is recorded last. A folder that cannot be a base is answered { ok: false, reason }
// (the admin sees the reason) with nothing stored; an upload is removed either way.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { BaseFolderError, importBaseFolder } from '../../lib/ml/checkpoint/base-folder';
import { QUEUES, RegisterBasePayload, type RegisterBaseResult } from '../../lib/queue/names';
import { modelFolderPath } from '../../lib/data/bases/models-dir';
import { removeUpload, uploadDir, uploadFilesDir } from '../../lib/data/bases/uploads';
import { baseUri, recordRegisteredBase } from '../../lib/data/bases/record-base';
import { resolveUri } from '../../lib/data/training/paths';
import { shapeOfConfig } from '../../lib/ml/model/config';
import { parameterCountOf } from '../../lib/shared/model-shape';
import { ARCHIVE, ArchiveError, unpackModelArchive } from '../bases/unpack-archive';
import type { Processor } from './types';

/** The folder to read and how to describe where it came from. */
async function sourceFolder(p: RegisterBasePayload): Promise<{ dir: string; source: string }> {
  if ('folder' in p.source) return { dir: modelFolderPath(p.source.folder), source: `models folder: ${p.source.folder}` };
  const files = (await fs.readdir(uploadFilesDir(p.source.upload))).sort();
  const archives = files.filter((f) => ARCHIVE.test(f));
  if (archives.length === 1 && !files.includes('config.json')) {
    const dir = await unpackModelArchive(path.join(uploadFilesDir(p.source.upload), archives[0]), path.join(uploadDir(p.source.upload), 'unpacked'));
    return { dir, source: `upload: ${archives[0]}` };
  }
  return { dir: uploadFilesDir(p.source.upload), source: `upload: ${files.join(', ')}` };
}

export async function registerBaseJob(p: RegisterBasePayload): Promise<RegisterBaseResult> {
  let src;
  try {
    src = await sourceFolder(p);
  } catch (e) {
    if (e instanceof ArchiveError) return { ok: false, reason: e.message };
    throw e;
  }
  const uri = baseUri(p.projectId, p.name);
  const dest = resolveUri(uri);
  let imported;
  try {
    imported = await importBaseFolder(src.dir, dest, { source: src.source, name: p.name });
  } catch (e) {
    if (e instanceof BaseFolderError) return { ok: false, reason: e.message };
    throw e;
  }
  try {
    const shape = shapeOfConfig(imported.config);
    const checkpointId = await recordRegisteredBase({
      projectId: p.projectId,
      name: p.name,
      uri,
      shapeKey: imported.shapeKey,
      shape,
      source: src.source,
      sha256: imported.sha256,
      sizeBytes: imported.sizeBytes,
      metrics: { parameters: parameterCountOf(shape), dtypes: imported.dtypes.join(','), ...(imported.resized ? { vocabResizedFrom: imported.resized.from } : {}) },
      actorId: p.actorId,
    });
    return { ok: true, checkpointId };
  } catch (e) {
    await fs.rm(dest, { recursive: true, force: true });
    throw e;
  }
}

export const processor: Processor = {
  queue: QUEUES.models,
  concurrency: 1,
  // Reading, checking and writing a 1.4 GB model holds the event loop for seconds at a time.
  lockDuration: 300_000,
  async process(job, ctx) {
    const p = RegisterBasePayload.parse(job.data);
    ctx.log.info('registering a base', { projectId: p.projectId, name: p.name, source: p.source });
    try {
      const result = await registerBaseJob(p);
      ctx.log.info(result.ok ? 'base registered' : 'base refused', { name: p.name, ...result });
      return result;
    } finally {
      if ('upload' in p.source) await removeUpload(p.source.upload);
    }
  },
};
