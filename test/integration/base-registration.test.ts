// Registering Hugging Face GPT-2-family folders through the HTTP API, with a real worker serving
// the `models` queue: a folder in HONE_MODELS_DIR, an upload of its files, an upload of a .tar;
// refusals answer 400 with the reason and store nothing. Then a whole round on a registered
// non-preset model (3 layers × 96, GPT-2 vocabulary): SFT → RM → PPO → evaluate → publish, the
// policy promoted, sampling a labeler's next ranking task and answering /v1/chat/completions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as tar from 'tar';
import { prisma } from '../../lib/db';
import { createApiToken } from '../../lib/data/api-tokens/create-token';
import { makeUser } from '../../lib/data/tasks/test-fixtures';
import { modelsDir } from '../../lib/data/bases/models-dir';
import { liveWorkers } from '../../lib/data/workers/heartbeat';
import { checkpointRoot } from '../../lib/data/training/paths';
import { launchRound } from '../../lib/data/rounds/launch-round';
import { promoteAndSample } from '../../lib/data/checkpoints/promote-checkpoint';
import { nextTask } from '../../lib/data/tasks/next-task';
import { closeQueues } from '../../lib/queue/connection';
import { closeQueueEvents } from '../../lib/queue/request';
import { closeFlowProducer } from '../../lib/queue/flows';
import { writeHfGpt2Folder } from '../../lib/ml/checkpoint/make-hf-folder';
import { sha256File } from '../../lib/ml/checkpoint/base-folder';
import { GET as listBases, POST as registerRoute } from '../../app/api/projects/[id]/bases/route';
import { POST as createUploadRoute } from '../../app/api/projects/[id]/bases/uploads/route';
import { PUT as putFileRoute } from '../../app/api/projects/[id]/bases/uploads/[upload]/[file]/route';
import { POST as chatCompletions } from '../../app/v1/chat/completions/route';
import { TINY, roundState, seededProject, startWorker, stopWorker, waitFor } from './loop-helpers';

const SHAPE = { nLayer: 3, nEmbd: 96, nHead: 4, nPositions: 128 };
const KEY = 'gpt2-family-L3-C96-H4-T128';
const B = 'http://localhost:3000';
let worker: ChildProcess | undefined;
let seeded: Awaited<ReturnType<typeof seededProject>>;
let auth: Record<string, string>;
let registeredId: string;

const ctx = (p: Record<string, string>) => ({ params: Promise.resolve(p) });
const json = (route: string, body: unknown) => new Request(`${B}${route}`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });
const project = () => seeded.project.id;

async function register(body: unknown) {
  const res = await registerRoute(json(`/api/projects/${project()}/bases`, body), ctx({ id: project() }));
  return { status: res.status, body: (await res.json()) as { checkpoint?: { id: string; preset: string; name: string; weightsSha256: string; shape: unknown; source: string }; error?: { message: string } } };
}

/** Uploads every file of `dir` (or the one archive) and registers the upload. */
async function uploadAndRegister(files: string[], name: string) {
  const res = await createUploadRoute(new Request(`${B}/x`, { method: 'POST', headers: auth }), ctx({ id: project() }));
  expect(res.status).toBe(201);
  const { upload } = (await res.json()) as { upload: { id: string } };
  for (const file of files) {
    const put = await putFileRoute(
      new Request(`${B}/x`, { method: 'PUT', headers: auth, body: await fs.readFile(file) }),
      ctx({ id: project(), upload: upload.id, file: path.basename(file) }),
    );
    expect(put.status).toBe(200);
  }
  return { upload: upload.id, ...(await register({ upload: upload.id, name })) };
}

const baseFolders = async () => (await fs.readdir(path.join(checkpointRoot(), project(), 'bases')).catch(() => [] as string[])).filter((f) => !f.includes('.tmp-'));

beforeAll(async () => {
  seeded = await seededProject('Base registration', { prompts: 12 });
  const { secret } = await createApiToken(await makeUser('ADMIN'), { name: 'bases' });
  auth = { authorization: `Bearer ${secret}` };
  await writeHfGpt2Folder(path.join(modelsDir(), 'tiny-gpt2'), { ...SHAPE, attnBias: true });
  await writeHfGpt2Folder(path.join(modelsDir(), 'owner', 'tiny-fast'), { ...SHAPE, tokenizer: 'fast', prefix: true, seed: 3 });
  const pickle = path.join(modelsDir(), 'pickled');
  await writeHfGpt2Folder(pickle, SHAPE);
  await fs.rename(path.join(pickle, 'model.safetensors'), path.join(pickle, 'pytorch_model.bin'));
  worker = startWorker('bases', 'train,sample,infer,models');
  await waitFor('a worker serving models', () => liveWorkers(), (ws) => ws.some((w) => w.queues.includes('models')), 60_000, 500);
}, 120_000);

afterAll(async () => {
  await stopWorker(worker);
  await closeFlowProducer();
  await closeQueueEvents();
  await closeQueues();
  await fs.rm(modelsDir(), { recursive: true, force: true });
});

describe('registering a base', () => {
  it('registers a folder of the models folder, with its shape, source and sha256', async () => {
    const listed = await listBases(new Request(`${B}/x`, { headers: auth }), ctx({ id: project() }));
    const { folders } = (await listed.json()) as { folders: { name: string }[] };
    expect(folders.map((f) => f.name)).toEqual(['owner/tiny-fast', 'pickled', 'tiny-gpt2']);

    const r = await register({ folder: 'tiny-gpt2' });
    expect(r.status).toBe(201);
    expect(r.body.checkpoint).toMatchObject({
      name: 'tiny-gpt2',
      preset: KEY,
      source: 'models folder: tiny-gpt2',
      shape: { ...SHAPE, vocabSize: 50264, tokenizer: 'gpt2' },
      weightsSha256: await sha256File(path.join(modelsDir(), 'tiny-gpt2', 'model.safetensors')),
    });
    registeredId = r.body.checkpoint!.id;
    const row = await prisma.checkpoint.findUniqueOrThrow({ where: { id: registeredId } });
    expect(row).toMatchObject({ kind: 'BASE', status: 'READY', projectId: project() });
    expect(Number(row.sizeBytes)).toBeGreaterThan(20e6);
    await fs.access(path.join(checkpointRoot(), row.uri, 'model.safetensors'));

    expect((await register({ folder: 'tiny-gpt2' })).status).toBe(409); // the name is taken
    const nested = await register({ folder: 'owner/tiny-fast', name: 'fast tokenizer' });
    expect(nested.status).toBe(201);
  });

  it('registers uploaded files and an uploaded .tar of the folder', async () => {
    const dir = path.join(modelsDir(), 'tiny-gpt2');
    const files = (await fs.readdir(dir)).map((f) => path.join(dir, f));
    const plain = await uploadAndRegister(files, 'uploaded files');
    expect(plain.status).toBe(201);
    expect(plain.body.checkpoint).toMatchObject({ preset: KEY, source: expect.stringMatching(/^upload: config\.json, .*model\.safetensors/) });

    const archive = path.join(modelsDir(), 'tiny.tar');
    await tar.c({ file: archive, cwd: modelsDir() }, ['tiny-gpt2']);
    const packed = await uploadAndRegister([archive], 'from a tar');
    expect(packed.status).toBe(201);
    expect(packed.body.checkpoint).toMatchObject({ preset: KEY, source: 'upload: tiny.tar' });
    // Uploads are removed once registered.
    await expect(fs.access(path.join(checkpointRoot(), '.uploads', packed.upload))).rejects.toThrow();
  });

  it('refuses clearly and stores nothing: a pickle, a wrong shape, a folder outside the models folder, a broken upload', async () => {
    const before = await baseFolders();
    const rows = await prisma.checkpoint.count({ where: { projectId: project() } });

    const pickle = await register({ folder: 'pickled' });
    expect(pickle.status).toBe(400);
    expect(pickle.body.error!.message).toMatch(/pytorch_model\.bin, a Python pickle.*safetensors/);

    const outside = await register({ folder: '../elsewhere' });
    expect(outside.status).toBe(400);
    expect(outside.body.error!.message).toMatch(/inside the models folder/);
    expect((await register({ folder: 'nope' })).status).toBe(400);

    const dir = path.join(modelsDir(), 'tiny-gpt2');
    const cfg = JSON.parse(await fs.readFile(path.join(dir, 'config.json'), 'utf8'));
    await fs.mkdir(path.join(modelsDir(), 'bad'), { recursive: true });
    await fs.writeFile(path.join(modelsDir(), 'bad', 'config.json'), JSON.stringify({ ...cfg, n_embd: 128 }));
    const wrong = await uploadAndRegister([path.join(modelsDir(), 'bad', 'config.json'), ...['model.safetensors', 'vocab.json', 'merges.txt'].map((f) => path.join(dir, f))], 'wrong shape');
    expect(wrong.status).toBe(400);
    expect(wrong.body.error!.message).toMatch(/This model cannot be registered: model\.safetensors: tensor "[\w.]+" has shape \[[\d, ]+\] but config\.json implies \[[\d, ]+\]/);
    await expect(fs.access(path.join(checkpointRoot(), '.uploads', wrong.upload))).rejects.toThrow();

    expect(await baseFolders()).toEqual(before);
    expect(await prisma.checkpoint.count({ where: { projectId: project() } })).toBe(rows);
  });
});

describe('a round on a registered non-preset base', () => {
  it('runs SFT → RM → PPO → evaluate → publish on it, and the promoted policy samples and chats', async () => {
    const settings = { sft: { ...TINY.sft, maxLength: 96 }, rm: { ...TINY.rm, maxLength: 96 }, ppo: TINY.ppo, evaluate: TINY.evaluate };
    const r = await launchRound({ projectId: project(), start: registeredId, settings }, null);
    expect(r.stages).toEqual(['SFT', 'RM', 'PPO', 'EVALUATE', 'PUBLISH']);
    const done = await waitFor('the round to finish', () => roundState(r.id), (s) => s.status !== 'QUEUED' && s.status !== 'RUNNING', 400_000, 1000);
    expect(done.error).toBeNull();
    expect(done.status).toBe('SUCCEEDED');

    const policy = await prisma.checkpoint.findFirstOrThrow({ where: { roundId: r.id, kind: 'POLICY' }, select: { id: true, preset: true, uri: true } });
    expect(policy.preset).toBe(KEY);
    const config = JSON.parse(await fs.readFile(path.join(checkpointRoot(), policy.uri, 'config.json'), 'utf8'));
    expect(config).toMatchObject({ n_layer: 3, n_embd: 96, n_head: 4, n_positions: 128, vocab_size: 50264, architectures: ['GPT2LMHeadModel'] });
    const tokCfg = JSON.parse(await fs.readFile(path.join(checkpointRoot(), policy.uri, 'tokenizer_config.json'), 'utf8'));
    expect(tokCfg.chat_template).toContain('<|assistant|>');

    await promoteAndSample(policy.id, { actorId: null });
    await waitFor('sampled completion sets', () => prisma.completionSet.count({ where: { checkpointId: policy.id } }), (n) => n > 0, 120_000);
    const lease = await nextTask(seeded.labelers[0].id, { projectId: project(), kind: 'RANKING' });
    const task = await prisma.task.findUniqueOrThrow({ where: { id: lease!.taskId }, select: { completionSet: { select: { checkpointId: true } } } });
    expect(task.completionSet?.checkpointId).toBe(policy.id);

    const slug = (await prisma.project.findUniqueOrThrow({ where: { id: project() }, select: { slug: true } })).slug;
    const chat = await chatCompletions(
      new Request(`${B}/v1/chat/completions`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ model: slug, messages: [{ role: 'user', content: 'Hello?' }], max_tokens: 8 }) }),
    );
    expect(chat.status).toBe(200);
    expect(((await chat.json()) as { choices: { message: { content: string } }[] }).choices[0].message.content).toEqual(expect.any(String));
  }, 600_000);
});
