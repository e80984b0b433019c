// `cli.ts register`: a Hugging Face GPT-2-family folder on this machine becomes a BASE checkpoint
// of a project on a Hone server. The folder is checked here first (the same checks the worker
// makes, lib/ml/checkpoint/base-folder.ts), so a pickle or a wrong shape is refused before a
// 500 MB upload; then its files go up one request each (POST …/bases/uploads, PUT per file) and
// the server registers them (POST /api/projects/:id/bases { upload }), answering with the row.
import { openAsBlob, promises as fs } from 'node:fs';
import path from 'node:path';
import { inspectBaseFolder, type BaseInspection } from './checkpoint/base-folder';
import { parameterCount } from './model/config';

/** The files of a model folder that registration reads (others, such as pytorch_model.bin, stay home). */
const WANTED = /^(config\.json|model\.safetensors|vocab\.json|merges\.txt|tokenizer\.json|tokenizer_config\.json|special_tokens_map\.json|generation_config\.json|hone_tokenizer\.json)$/;

export type RegisterTarget = { url: string; token: string; projectId: string; name?: string };

/** One line for a person about a checked folder. */
export function describeInspection(dir: string, f: BaseInspection): string {
  const c = f.config;
  return (
    `${dir}: GPT-2 family, ${c.nLayer} layers × ${c.nEmbd}, ${c.nHead} heads, context ${c.nPositions}, vocab ${c.vocabSize}, ` +
    `${(parameterCount(c) / 1e6).toFixed(1)}M parameters, ${f.dtypes.join('/')} weights (${(f.weightsBytes / 1e6).toFixed(0)} MB), tokenizer ${f.tokenizerFiles.join(' + ')}`
  );
}

async function call(t: RegisterTarget, method: string, route: string, body?: BodyInit, type = 'application/json'): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(`${t.url.replace(/\/$/, '')}${route}`, {
      method,
      headers: { authorization: `Bearer ${t.token}`, 'content-type': type },
      body,
      ...(body && typeof body !== 'string' ? { duplex: 'half' } : {}),
    } as RequestInit);
  } catch (e) {
    throw new Error(`cannot reach ${t.url} (${(e as Error).message}); is Hone running there? (--url or HONE_URL)`);
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const msg = (json as { error?: { message?: string } } | undefined)?.error?.message ?? text.slice(0, 300);
    throw new Error(`${method} ${route}: ${res.status} ${msg}`);
  }
  return json;
}

/** Checks `dir`, uploads its files and registers them; resolves with the server's checkpoint. */
export async function registerFolder(dir: string, t: RegisterTarget, log: (line: string) => void): Promise<unknown> {
  const found = await inspectBaseFolder(dir);
  log(describeInspection(dir, found));
  const base = `/api/projects/${encodeURIComponent(t.projectId)}/bases`;
  const { upload } = (await call(t, 'POST', `${base}/uploads`)) as { upload: { id: string } };
  for (const name of (await fs.readdir(dir)).filter((n) => WANTED.test(n)).sort()) {
    const file = path.join(dir, name);
    const blob = await openAsBlob(file);
    log(`uploading ${name} (${(blob.size / 1e6).toFixed(1)} MB)`);
    await call(t, 'PUT', `${base}/uploads/${upload.id}/${encodeURIComponent(name)}`, blob.stream() as unknown as BodyInit, 'application/octet-stream');
  }
  log('registering (the worker checks and converts the weights)');
  const out = (await call(t, 'POST', base, JSON.stringify({ upload: upload.id, ...(t.name ? { name: t.name } : {}) }))) as { checkpoint: unknown };
  return out.checkpoint;
}

/** Registers a folder already in the server's HONE_MODELS_DIR by its name there. */
export async function registerServerFolder(folder: string, t: RegisterTarget): Promise<unknown> {
  const out = (await call(t, 'POST', `/api/projects/${encodeURIComponent(t.projectId)}/bases`, JSON.stringify({ folder, ...(t.name ? { name: t.name } : {}) }))) as { checkpoint: unknown };
  return out.checkpoint;
}
