// Registering a Hugging Face GPT-2-family folder as a BASE checkpoint of a project (the web
// side). The folder is one in HONE_MODELS_DIR or a finished upload; a worker serving the
// `models` queue validates and converts it (lib/ml/checkpoint/base-folder.ts) and records the
// row, and this waits for its answer. A refusal comes back as a 400 with the worker's reason;
// nothing is stored then (no row, no checkpoint folder; the upload is removed).
import path from 'node:path';
import { promises as fs } from 'node:fs';
import { z } from 'zod';
import { prisma } from '../../db';
import { AppError } from '../errors';
import { QUEUES, RegisterBaseResult, type RegisterBasePayload } from '../../queue/names';
import { JobTimeoutError, requestJob } from '../../queue/request';
import { liveWorkers } from '../workers/heartbeat';
import { listCheckpoints, type CheckpointView } from '../checkpoints/list-checkpoints';
import { modelFolderPath } from './models-dir';
import { readUpload } from './uploads';

export const RegisterBaseInput = z
  .object({
    /** Shown in the checkpoint list and the launch form; defaults to the folder's name. */
    name: z.string().trim().min(1).max(120).optional(),
    /** A folder inside HONE_MODELS_DIR, such as "gpt2" or "openai-community/gpt2". */
    folder: z.string().min(1).max(500).optional(),
    /** An upload id (POST /api/projects/:id/bases/uploads, then one PUT per file). */
    upload: z.string().min(1).max(64).optional(),
  })
  .strict()
  .refine((v) => (v.folder === undefined) !== (v.upload === undefined), { message: 'give either folder (a folder in the models folder) or upload (an upload id), not both', path: ['folder'] });
export type RegisterBaseInput = z.input<typeof RegisterBaseInput>;

/** Converting gpt2-medium's 1.4 GB takes about a minute here; a busy worker may take longer. */
const DEFAULT_TIMEOUT_MS = 15 * 60_000;

export async function registerBase(projectId: string, raw: RegisterBaseInput, actorId: string | null, opts: { timeoutMs?: number } = {}): Promise<CheckpointView> {
  const input = RegisterBaseInput.parse(raw);
  const project = await prisma.project.findUnique({ where: { id: projectId }, select: { id: true, archived: true } });
  if (!project) throw new AppError('NOT_FOUND', `No project with id ${projectId}.`);
  if (project.archived) throw new AppError('CONFLICT', 'This project is archived; unarchive it to register a base.');

  let defaultName: string;
  let source: RegisterBasePayload['source'];
  if (input.folder !== undefined) {
    const abs = modelFolderPath(input.folder);
    const st = await fs.stat(abs).catch(() => null);
    if (!st?.isDirectory()) throw new AppError('INVALID_INPUT', `There is no folder "${input.folder}" in the models folder (HONE_MODELS_DIR).`, { field: 'folder' });
    source = { folder: input.folder };
    defaultName = path.basename(abs);
  } else {
    const { files } = await readUpload(input.upload!, projectId);
    if (!files.length) throw new AppError('INVALID_INPUT', 'The upload has no files yet: send config.json, model.safetensors and the tokenizer files (or one .tar/.zip of the folder) first.', { field: 'upload' });
    source = { upload: input.upload! };
    const archive = files.find((f) => /\.(tar|tgz|tar\.gz|zip)$/i.test(f.name));
    defaultName = archive ? archive.name.replace(/\.(tar|tgz|tar\.gz|zip)$/i, '') : 'uploaded-base';
  }
  const name = input.name ?? defaultName;
  const taken = await prisma.checkpoint.findFirst({ where: { projectId, name }, select: { id: true } });
  if (taken) throw new AppError('CONFLICT', `This project already has a checkpoint named "${name}"; pick another name.`, { field: 'name' });

  const workers = await liveWorkers(60_000);
  if (!workers.some((w) => w.queues.includes(QUEUES.models))) {
    throw new AppError('UNAVAILABLE', 'No worker serving the models queue is running, so nothing can check and convert the model. Start one (npm run worker, or npm run dev) and try again.');
  }

  const payload: RegisterBasePayload = { projectId, name, source, actorId };
  let result: RegisterBaseResult;
  try {
    result = RegisterBaseResult.parse(await requestJob(QUEUES.models, 'register-base', payload, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS));
  } catch (e) {
    if (e instanceof JobTimeoutError) throw new AppError('UNAVAILABLE', `The worker did not finish registering the model within ${Math.round(e.timeoutMs / 60_000)} minutes; it may still be busy with a training round. Try again later.`);
    throw new AppError('UNAVAILABLE', `The worker could not register the model: ${(e as Error).message}`);
  }
  if (!result.ok) throw new AppError('INVALID_INPUT', `This model cannot be registered: ${result.reason}`);
  const [view] = (await listCheckpoints({ projectId })).filter((c) => c.id === result.checkpointId);
  if (!view) throw new AppError('NOT_FOUND', `The registered checkpoint ${result.checkpointId} is gone.`);
  return view;
}
