// Uploaded model files, staged under the checkpoint root (which web app and workers share) until
// a worker registers them: `<root>/.uploads/<id>/upload.json` (project, who, when) and
// `files/<name>`. Files arrive one request each, streamed to disk, so a 500 MB model.safetensors
// is never held in memory. The worker removes an upload once it has registered or refused it;
// uploads nobody registered are removed after a day.
import { randomBytes } from 'node:crypto';
import { createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { prisma } from '../../db';
import { checkpointRoot } from '../training/paths';
import { AppError } from '../errors';

/** Per file; larger than gpt2-large's 3.2 GB of float32 weights. */
export const MAX_UPLOAD_FILE_BYTES = 8 * 1024 ** 3;
const MAX_FILES = 24;
const STALE_MS = 24 * 3600_000;

export const UploadId = z.string().regex(/^[a-f0-9]{16}$/, 'an upload id is 16 hex digits');
const FileName = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,99}$/;

const uploadsRoot = () => path.join(checkpointRoot(), '.uploads');
export const uploadDir = (id: string) => path.join(uploadsRoot(), UploadId.parse(id));
export const uploadFilesDir = (id: string) => path.join(uploadDir(id), 'files');

type UploadMeta = { projectId: string; actorId: string | null; createdAt: string };

/** Starts an upload for a project; removes uploads older than a day on the way. */
export async function createUpload(projectId: string, actorId: string | null): Promise<{ id: string }> {
  const project = await prisma.project.findUnique({ where: { id: projectId }, select: { archived: true } });
  if (!project) throw new AppError('NOT_FOUND', `No project with id ${projectId}.`);
  if (project.archived) throw new AppError('CONFLICT', 'This project is archived; unarchive it to register a base.');
  await pruneStaleUploads();
  const id = randomBytes(8).toString('hex');
  await fs.mkdir(path.join(uploadDir(id), 'files'), { recursive: true });
  const meta: UploadMeta = { projectId, actorId, createdAt: new Date().toISOString() };
  await fs.writeFile(path.join(uploadDir(id), 'upload.json'), JSON.stringify(meta));
  return { id };
}

/** The upload's project, or a 404 when it does not exist (or belongs to another project). */
export async function readUpload(id: string, projectId: string): Promise<{ files: { name: string; bytes: number }[] }> {
  if (!UploadId.safeParse(id).success) throw new AppError('INVALID_INPUT', 'upload must be the id that creating the upload returned (16 hex digits).', { field: 'upload' });
  let meta: UploadMeta;
  try {
    meta = JSON.parse(await fs.readFile(path.join(uploadDir(id), 'upload.json'), 'utf8')) as UploadMeta;
  } catch {
    throw new AppError('NOT_FOUND', `No upload ${id}: it was registered, refused or removed after a day. Upload the files again.`);
  }
  if (meta.projectId !== projectId) throw new AppError('NOT_FOUND', `No upload ${id} for this project.`);
  const names = await fs.readdir(uploadFilesDir(id));
  const files = [];
  for (const name of names.sort()) files.push({ name, bytes: (await fs.stat(path.join(uploadFilesDir(id), name))).size });
  return { files };
}

/** Streams one file of an upload to disk (replacing a file of the same name). */
export async function writeUploadFile(id: string, projectId: string, name: string, body: ReadableStream<Uint8Array> | null): Promise<{ name: string; bytes: number }> {
  const { files } = await readUpload(id, projectId);
  if (!FileName.test(name)) throw new AppError('INVALID_INPUT', `File name ${JSON.stringify(name)} is not allowed: use the file's own name (letters, digits, . _ -), such as model.safetensors.`, { field: 'name' });
  if (!files.some((f) => f.name === name) && files.length >= MAX_FILES) throw new AppError('INVALID_INPUT', `An upload holds at most ${MAX_FILES} files.`);
  if (!body) throw new AppError('INVALID_INPUT', 'The request has no body: send the file\'s bytes as the body.');
  const target = path.join(uploadFilesDir(id), name);
  const partial = `${target}.part-${randomBytes(4).toString('hex')}`;
  let bytes = 0;
  const count = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      if (bytes > MAX_UPLOAD_FILE_BYTES) done(new AppError('INVALID_INPUT', `${name} is larger than ${MAX_UPLOAD_FILE_BYTES / 1024 ** 3} GiB.`));
      else done(null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(body as import('node:stream/web').ReadableStream<Uint8Array>), count, createWriteStream(partial));
    await fs.rename(partial, target);
  } catch (e) {
    await fs.rm(partial, { force: true });
    if (e instanceof AppError) throw e;
    throw new AppError('INVALID_INPUT', `The upload of ${name} broke off after ${bytes} bytes (${(e as Error).message}); send it again.`);
  }
  return { name, bytes };
}

export async function removeUpload(id: string): Promise<void> {
  await fs.rm(uploadDir(id), { recursive: true, force: true });
}

async function pruneStaleUploads(): Promise<void> {
  const entries = await fs.readdir(uploadsRoot()).catch(() => [] as string[]);
  for (const id of entries) {
    const st = await fs.stat(path.join(uploadsRoot(), id)).catch(() => null);
    if (st && Date.now() - st.mtimeMs > STALE_MS) await fs.rm(path.join(uploadsRoot(), id), { recursive: true, force: true });
  }
}
