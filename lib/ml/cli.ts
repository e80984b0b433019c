// Command line for researchers: train each stage and sample on JSONL files, with checkpoints
// in the same folder format the platform uses.
//
//   npx tsx lib/ml/cli.ts pretrain|sft|rm|ppo|dpo|sample --help
//
// This is the one lib/ml file that reads process.env (HONE_TF_BACKEND, HONE_WASM_THREADS are
// handed to initBackend) and touches the terminal; the trainers stay pure.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { z } from 'zod';
import { initBackend } from './backend';
import { PRESETS } from './model/config';
import { decodeAssistantReply, encodeChat } from './tokenizer';
import { FILES, loadCheckpoint, readCheckpointMeta } from './checkpoint';
import { sample } from './sample';
import { readJsonl } from './data/jsonl';
import {
  PretrainExampleSchema,
  PromptExampleSchema,
  RankingExampleSchema,
  SftExampleSchema,
  type PromptExample,
} from './data/schemas';
import { PretrainConfigSchema, SftConfigSchema, RewardConfigSchema, PpoConfigSchema, DpoConfigSchema } from '../shared/stage-config';
import type { RewardFn } from './train/ppo';
import type { StepReport } from './train/common';
import type { StartPoint } from './pipeline/load-models';
import type { Lineage } from './pipeline/lineage';
import type { StageHooks } from './pipeline/stage-hooks';
import { pretrainPipeline } from './pipeline/pretrain';
import { inspectBaseFolder } from './checkpoint/base-folder';
import { describeInspection, registerFolder, registerServerFolder } from './register-client';
import { sftPipeline } from './pipeline/sft';
import { rewardPipeline } from './pipeline/reward';
import { ppoPipeline, type PtxData } from './pipeline/ppo';
import { dpoPipeline } from './pipeline/dpo';
import { screenSummary, type Screen } from './data/screen';

/** Prints what a trainer skipped or shortened (lib/ml/data/screen.ts), in the words the round page uses. */
function printScreen(s: Screen<unknown>): void {
  const line = screenSummary(s);
  if (line) console.log(`[${s.stage}] ${line}`);
}

const COMMANDS = ['pretrain', 'sft', 'rm', 'ppo', 'dpo', 'sample', 'register'] as const;
type Command = (typeof COMMANDS)[number];

const COMMON = `
  --data FILE        JSONL training data, one record per line
  --eval FILE        JSONL held-out data (default: config.evalFraction of --data)
  --out DIR          checkpoint folder, rewritten at every checkpoint (with optimizer state)
  --from DIR         checkpoint to start from
  --preset NAME      nano | mini | small | gpt2: a freshly initialised model instead of --from
  --config JSON      trainer config as JSON, or key=value pairs: --config steps=50 lr=1e-3
  --resume           continue from the checkpoint already in --out (step, optimizer, trainer state)
  --seed N           model initialisation seed with --preset (default 1)
  --log-every N      a progress line every N steps (default: about 50 lines per run)
  --help             this text
Environment: HONE_TF_BACKEND (tensorflow-gpu | tensorflow | wasm | cpu), HONE_WASM_THREADS.`;

const HELP: Record<Command | 'main', string> = {
  main: `Hone ML command line.

Usage: npx tsx lib/ml/cli.ts <command> [options]

Commands:
  pretrain   next-token pretraining of a base model on {"text": ...} lines
  sft        supervised fine-tuning on {"messages": [...]} lines (loss on assistant turns)
  rm         pairwise reward model on {"context", "completions", "tiers"} rankings
  ppo        PPO-ptx against a reward model (--rm) or a builtin reward (--reward)
  dpo        direct preference optimisation of the SFT model on rankings (no reward model)
  sample     replies from a checkpoint for {"context": [...]} lines or --prompt
  register   check a Hugging Face GPT-2-family folder and register it as a base of a project

Run "npx tsx lib/ml/cli.ts <command> --help" for the options and config fields of each.`,
  pretrain: `Usage: npx tsx lib/ml/cli.ts pretrain --data corpus.jsonl --out DIR (--preset small | --from DIR) [--config ...]

Data: {"text": "..."} per line. Documents are joined with <|endoftext|> and cut into blocks.
${COMMON}`,
  sft: `Usage: npx tsx lib/ml/cli.ts sft --data demos.jsonl --out DIR (--from BASE | --preset small) [--config ...]

Data: {"messages": [{"role": "user", "content": "..."}, {"role": "assistant", "content": "..."}]}
per line (demonstrations or whole dialogues; optional "id"). Loss on assistant tokens only.
Writes DIR (latest, resumable) and DIR-best (lowest held-out loss).
${COMMON}`,
  rm: `Usage: npx tsx lib/ml/cli.ts rm --data rankings.jsonl --out DIR --from SFT_DIR [--config ...]

Data: {"context": [messages], "completions": ["...", ...], "tiers": [[best indices], [next], ...]}
per line; ties share a tier, at least two tiers. The RM starts from --from (usually the SFT model)
with a fresh scalar head; its checkpoint loads in transformers as GPT2ForSequenceClassification.
${COMMON}`,
  ppo: `Usage: npx tsx lib/ml/cli.ts ppo --data prompts.jsonl --out DIR --from SFT_DIR (--rm RM_DIR | --reward NAME) [--config ...]

Data: {"context": [messages]} per line; the policy writes the next assistant turn.
  --rm DIR           reward model checkpoint: the reward (normalised to mean 0 on --demos) and
                     the critic's initialisation
  --demos FILE       {"messages"} demonstrations for the reward normalisation (InstructGPT)
  --reward NAME      builtin programmatic reward, e.g. token-frequency:a (share of "a" in the reply);
                     the critic then starts from the SFT model with a fresh head
  --ptx FILE         {"text"} or {"messages"} lines for the PPO-ptx term (set config ptxCoef > 0)
Writes the policy to DIR and the critic to DIR-value.
${COMMON}`,
  dpo: `Usage: npx tsx lib/ml/cli.ts dpo --data rankings.jsonl --out DIR --from SFT_DIR [--config ...]

Data: the rm command's rankings; every non-tied pair of a ranking is a (chosen, rejected) pair.
The policy starts from --from and the same model, frozen, is the reference (give --from with
--resume too). Its log-probs are computed once and cached in --ref-cache.
  --ref-cache DIR    reference log-prob cache (default DIR-ref-logps)
Writes the policy to DIR.
${COMMON}`,
  sample: `Usage: npx tsx lib/ml/cli.ts sample --from DIR (--prompt TEXT | --data prompts.jsonl) [options]

  --prompt TEXT      one user message
  --data FILE        {"context": [messages]} lines
  --max-tokens N     (default 64)   --temperature T (default 0.7)   --top-k K (0 = off)
  --top-p P (1 = off)               --n N replies per prompt (default 1)   --seed N
Prints one JSON line per reply: {"prompt", "reply", "tokens", "finished"}.`,
  register: `Usage: npx tsx lib/ml/cli.ts register --dir FOLDER --project ID [--name NAME] [--url URL] [--token TOKEN]
       npx tsx lib/ml/cli.ts register --folder NAME --project ID     (a folder in the server's HONE_MODELS_DIR)
       npx tsx lib/ml/cli.ts register --dir FOLDER --check           (check only; no server)

A Hugging Face GPT-2-family folder: config.json, model.safetensors, and vocab.json + merges.txt
or tokenizer.json. --dir checks it on this machine, uploads its files and registers them as a
BASE checkpoint of the project (the server's worker checks and converts them again).
  --url URL          the Hone server (default HONE_URL, else http://localhost:3000)
  --token TOKEN      an admin's API token (default HONE_TOKEN; create one at /account/tokens)
Prints the registered checkpoint as JSON.`,
};

const CONFIG_SCHEMAS = { pretrain: PretrainConfigSchema, sft: SftConfigSchema, rm: RewardConfigSchema, ppo: PpoConfigSchema, dpo: DpoConfigSchema } as const;

type Args = { flags: Map<string, string | true>; config: Record<string, unknown> };

/** --flag value, --flag (boolean), and --config JSON | key=value… */
export function parseArgs(argv: string[]): Args {
  const flags = new Map<string, string | true>();
  let config: Record<string, unknown> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument "${a}" (options start with --)`);
    const name = a.slice(2);
    if (name === 'config') {
      const parts: string[] = [];
      while (i + 1 < argv.length && !argv[i + 1].startsWith('--')) parts.push(argv[++i]);
      if (parts.length === 0) throw new Error('--config needs a JSON object or key=value pairs');
      config = { ...config, ...parseConfig(parts) };
      continue;
    }
    if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) flags.set(name, argv[++i]);
    else flags.set(name, true);
  }
  return { flags, config };
}

function parseConfig(parts: string[]): Record<string, unknown> {
  if (parts.length === 1 && parts[0].trim().startsWith('{')) {
    try {
      return JSON.parse(parts[0]) as Record<string, unknown>;
    } catch (e) {
      throw new Error(`--config: invalid JSON (${(e as Error).message})`);
    }
  }
  const out: Record<string, unknown> = {};
  for (const p of parts) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new Error(`--config: expected key=value, got "${p}"`);
    const raw = p.slice(eq + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // a bare string
    }
    out[p.slice(0, eq)] = value;
  }
  return out;
}

/** The schema's parse, with zod's first issue turned into one readable line. */
function parseWith<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    const keys = (issue as { keys?: string[] }).keys;
    const field = keys?.length ? keys.join(', ') : issue.path.join('.') || '(config)';
    throw new Error(`${what}: ${field}: ${issue.message}`);
  }
  return r.data;
}

function str(args: Args, name: string, required: true): string;
function str(args: Args, name: string, required?: false): string | undefined;
function str(args: Args, name: string, required = false): string | undefined {
  const v = args.flags.get(name);
  if (v === true) throw new Error(`--${name} needs a value`);
  if (v === undefined && required) throw new Error(`--${name} is required`);
  return v;
}

function num(args: Args, name: string, fallback: number): number {
  const v = str(args, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got "${v}"`);
  return n;
}

function fileHash(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** A progress line every `every` steps (default: about 50 lines a run), on evaluations and at the end. */
function progress(what: string, every?: number) {
  const t0 = Date.now();
  const fmt = (v: number) =>
    Number.isInteger(v) ? String(v) : Math.abs(v) >= 1000 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : v.toFixed(4);
  return (m: StepReport) => {
    const n = every ?? Math.max(1, Math.floor(m.totalSteps / 50));
    const evaluated = Object.keys(m.metrics).some((k) => k.startsWith('eval_'));
    if (m.step % n !== 0 && m.step !== 1 && m.step !== m.totalSteps && !evaluated) return;
    const shown = Object.entries(m.metrics)
      .map(([k, v]) => `${k}=${fmt(v)}`)
      .join(' ');
    console.log(`[${what}] step ${m.step}/${m.totalSteps} ${shown} (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
  };
}

/** Where a run starts without --resume: the --from checkpoint or a fresh --preset, and its lineage. */
async function startPoint(args: Args): Promise<{ start: StartPoint; base: Base }> {
  const from = str(args, 'from');
  const preset = str(args, 'preset');
  if (from && preset) throw new Error('give either --from or --preset, not both');
  if (from) return { start: { dir: from }, base: { parent: path.resolve(from), preset: (await readCheckpointMeta(from)).hone.preset } };
  if (preset) {
    if (!(preset in PRESETS)) throw new Error(`--preset must be one of ${Object.keys(PRESETS).join(', ')}, got "${preset}"`);
    return { start: { preset, seed: num(args, 'seed', 1) }, base: { parent: null, preset } };
  }
  throw new Error('give --from DIR or --preset nano|mini|small|gpt2');
}

type Base = { parent: string | null; preset?: string };

/** With --resume: the checkpoint in --out (weights, optimizer and trainer state), and its lineage. */
async function resumePoint(args: Args, out: string): Promise<{ dir: string; base: Base } | undefined> {
  if (!args.flags.has('resume')) return undefined;
  if (!existsSync(path.join(out, FILES.hone))) throw new Error(`--resume: no checkpoint in ${out}`);
  if (!existsSync(path.join(out, FILES.optimizer))) throw new Error(`--resume: ${out} has no optimizer state`);
  const { hone } = await readCheckpointMeta(out);
  console.log(`[resume] from ${out} at step ${hone.step}`);
  return { dir: out, base: { parent: hone.parent ?? null, preset: hone.preset } };
}

/** Start or resume point, whichever the flags ask for. */
async function startOrResume(args: Args, out: string): Promise<{ start?: StartPoint; resumeFrom?: string; base: Base }> {
  const r = await resumePoint(args, out);
  return r ? { resumeFrom: r.dir, base: r.base } : await startPoint(args);
}

const lineage = (base: Base, data: string): Lineage => ({ ...base, datasetHash: fileHash(data) });

/** Progress lines, and every resume checkpoint rewritten in place at --out. */
function hooks(args: Args, what: string, out: string, saved = out): StageHooks {
  return {
    onStep: progress(what, args.flags.has('log-every') ? num(args, 'log-every', 1) : undefined),
    saveResume: async (step, write) => {
      await write(out);
      console.log(`[checkpoint] ${saved} (step ${step})`);
    },
  };
}

async function cmdPretrain(args: Args): Promise<void> {
  const data = str(args, 'data', true);
  const out = str(args, 'out', true);
  const config = parseWith(PretrainConfigSchema, args.config, 'config');
  const texts = readJsonl(data, PretrainExampleSchema);
  const from = await startOrResume(args, out);
  const { result } = await pretrainPipeline({
    start: from.start,
    resumeFrom: from.resumeFrom,
    texts,
    config,
    lineage: lineage(from.base, data),
    hooks: hooks(args, 'pretrain', out),
    onStart: ({ model }) => console.log(`[pretrain] ${texts.length} texts, model ${JSON.stringify(model.config)}`),
  });
  console.log(`[pretrain] done: ${result.steps} steps, loss ${result.trainLoss.toFixed(4)}, held-out ${result.evalLoss?.toFixed(4) ?? '-'} → ${out}`);
}

async function cmdSft(args: Args): Promise<void> {
  const data = str(args, 'data', true);
  const out = str(args, 'out', true);
  const config = parseWith(SftConfigSchema, args.config, 'config');
  const demos = readJsonl(data, SftExampleSchema);
  const evalFile = str(args, 'eval');
  const evaluation = evalFile ? readJsonl(evalFile, SftExampleSchema) : undefined;
  const from = await startOrResume(args, out);
  const best = `${out}-best`;
  console.log(`[sft] ${demos.length} conversations${evaluation ? `, ${evaluation.length} held out` : ''}`);
  const { result } = await sftPipeline({
    onScreened: printScreen,
    start: from.start,
    resumeFrom: from.resumeFrom,
    conversations: demos,
    evaluation,
    config,
    lineage: lineage(from.base, data),
    hooks: hooks(args, 'sft', out),
    bestDir: best,
    onBest: ({ step, bestEvalLoss }) => console.log(`[checkpoint] ${best} (best held-out loss ${bestEvalLoss?.toFixed(4)}) (step ${step})`),
  });
  console.log(
    `[sft] done: ${result.steps} steps, loss ${result.trainLoss.toFixed(4)}, held-out ${result.evalLoss?.toFixed(4) ?? '-'}, best ${result.bestEvalLoss?.toFixed(4) ?? '-'} at step ${result.bestStep ?? '-'} → ${out}`,
  );
}

async function cmdRm(args: Args): Promise<void> {
  const data = str(args, 'data', true);
  const out = str(args, 'out', true);
  const config = parseWith(RewardConfigSchema, args.config, 'config');
  const rankings = readJsonl(data, RankingExampleSchema);
  const evalFile = str(args, 'eval');
  const evaluation = evalFile ? readJsonl(evalFile, RankingExampleSchema) : undefined;
  const from = await startOrResume(args, out);
  console.log(`[rm] ${rankings.length} rankings${evaluation ? `, ${evaluation.length} held out` : ''}`);
  const { result } = await rewardPipeline({
    onScreened: printScreen,
    start: from.start,
    resumeFrom: from.resumeFrom,
    rankings,
    evaluation,
    config,
    lineage: lineage(from.base, data),
    hooks: hooks(args, 'rm', out),
  });
  console.log(
    `[rm] done: ${result.steps} steps, loss ${result.trainLoss.toFixed(4)}, held-out accuracy ${result.evalAccuracy?.toFixed(3) ?? '-'}, margin ${result.evalMargin?.toFixed(3) ?? '-'} → ${out}`,
  );
}

/** Builtin programmatic rewards for demos and smoke runs. */
export function builtinReward(spec: string): RewardFn {
  const m = /^token-frequency:(.+)$/u.exec(spec);
  if (m && [...m[1]].length === 1) {
    const ch = m[1];
    return (_c, responses) => responses.map((r) => (r.length ? [...r].filter((c) => c === ch).length / [...r].length : 0));
  }
  throw new Error(`--reward: unknown builtin "${spec}" (known: token-frequency:<one character>)`);
}

/** --ptx FILE: {"messages"} lines are conversations, {"text"} lines documents. */
function ptxData(file: string): PtxData {
  const first = readFileSync(file, 'utf8').split(/\r?\n/).find((l) => l.trim());
  const isChat = first ? 'messages' in (JSON.parse(first) as object) : false;
  return isChat ? { conversations: readJsonl(file, SftExampleSchema) } : { texts: readJsonl(file, PretrainExampleSchema) };
}

async function cmdPpo(args: Args): Promise<void> {
  const data = str(args, 'data', true);
  const out = str(args, 'out', true);
  const from = str(args, 'from', true);
  const rmDir = str(args, 'rm');
  const rewardSpec = str(args, 'reward');
  if (!rmDir && !rewardSpec) throw new Error('ppo needs --rm DIR (a reward model) or --reward NAME (a builtin reward)');
  const config = parseWith(PpoConfigSchema, args.config, 'config');
  const prompts: PromptExample[] = readJsonl(data, PromptExampleSchema);
  const valueOut = `${out}-value`;
  const demosFile = str(args, 'demos');
  const ptxFile = str(args, 'ptx');
  const resume = await resumePoint(args, out);
  const base = { parent: path.resolve(from), preset: (await readCheckpointMeta(from)).hone.preset };
  const { result } = await ppoPipeline({
    onScreened: printScreen,
    sftDir: from,
    reward: rmDir ? { rewardModelDir: rmDir, demonstrations: demosFile ? readJsonl(demosFile, SftExampleSchema) : [] } : { fn: builtinReward(rewardSpec!) },
    prompts,
    ptx: ptxFile ? ptxData(ptxFile) : undefined,
    config,
    lineage: lineage(base, data),
    hooks: hooks(args, 'ppo', out, `${out} and ${valueOut}`),
    resumeFrom: resume?.dir,
    // The CLI's layout: the policy in DIR, the critic beside it in DIR-value.
    folders: (dir) => ({ policy: dir, value: `${dir}-value` }),
    onStart: ({ rewardOffset, normalisedOn, ptxRows }) => {
      if (rmDir && normalisedOn) console.log(`[ppo] reward normalised on ${normalisedOn} demonstrations: offset ${rewardOffset.toFixed(4)}`);
      else if (rmDir) console.log('[ppo] no --demos: RM scores are used without normalisation');
      if (ptxFile) console.log(`[ppo] ${ptxRows} ptx rows from ${ptxFile}`);
      console.log(`[ppo] ${prompts.length} prompts, reward ${rmDir ? `RM ${rmDir}` : rewardSpec}`);
    },
  });
  console.log(`[ppo] done: ${result.steps} steps, score ${result.metrics.score?.toFixed(4)}, kl ${result.metrics.kl?.toFixed(4)}, kl_coef ${result.klCoef.toFixed(4)} → ${out}`);
}

async function cmdDpo(args: Args): Promise<void> {
  const data = str(args, 'data', true);
  const out = str(args, 'out', true);
  const from = str(args, 'from', true);
  const config = parseWith(DpoConfigSchema, args.config, 'config');
  const rankings = readJsonl(data, RankingExampleSchema);
  const evalFile = str(args, 'eval');
  const evaluation = evalFile ? readJsonl(evalFile, RankingExampleSchema) : undefined;
  const refCacheDir = str(args, 'ref-cache') ?? `${out}-ref-logps`;
  const resume = await resumePoint(args, out);
  const base = { parent: path.resolve(from), preset: (await readCheckpointMeta(from)).hone.preset };
  console.log(`[dpo] ${rankings.length} rankings${evaluation ? `, ${evaluation.length} held out` : ''}, β ${config.beta}, ${config.lossType} loss`);
  const { result } = await dpoPipeline({
    onScreened: printScreen,
    sftDir: from,
    resumeFrom: resume?.dir,
    rankings,
    evaluation,
    config,
    lineage: lineage(base, data),
    hooks: hooks(args, 'dpo', out),
    refCacheDir,
    onStart: ({ refCached }) => console.log(`[dpo] reference log-probs ${refCached ? 'read from' : 'computed and cached in'} ${refCacheDir}`),
  });
  console.log(
    `[dpo] done: ${result.steps} steps, loss ${result.trainLoss.toFixed(4)}, held-out loss ${result.evalLoss?.toFixed(4) ?? '-'}, accuracy ${result.evalAccuracy?.toFixed(3) ?? '-'}, margin ${result.evalMargin?.toFixed(3) ?? '-'} → ${out}`,
  );
}

async function cmdSample(args: Args): Promise<void> {
  const from = str(args, 'from', true);
  const c = await loadCheckpoint(from);
  const tok = c.tokenizer;
  const prompt = str(args, 'prompt');
  const file = str(args, 'data');
  if (!prompt && !file) throw new Error('sample needs --prompt TEXT or --data FILE');
  const contexts = prompt ? [[{ role: 'user' as const, content: prompt }]] : readJsonl(file!, PromptExampleSchema).map((p) => p.context);
  const n = num(args, 'n', 1);
  const queries = contexts.flatMap((ctx) => Array.from({ length: n }, () => encodeChat(tok, ctx, { addGenerationPrompt: true }).ids));
  const res = await sample(c.model, queries, {
    maxNewTokens: num(args, 'max-tokens', 64),
    temperature: num(args, 'temperature', 0.7),
    topK: num(args, 'top-k', 0),
    topP: num(args, 'top-p', 1),
    stopTokens: [tok.special.endOfTurn, tok.special.eos],
    seed: num(args, 'seed', Date.now() % 2 ** 31),
    padTokenId: tok.special.pad,
  });
  res.tokens.forEach((ids, i) => {
    const ctx = contexts[Math.floor(i / n)];
    console.log(JSON.stringify({ prompt: ctx[ctx.length - 1].content, reply: decodeAssistantReply(tok, ids), tokens: ids.length, finished: res.finished[i] }));
  });
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === 'help' || command === '-h') {
    console.log(HELP.main);
    return command ? 0 : 1;
  }
  if (!(COMMANDS as readonly string[]).includes(command)) {
    console.error(`unknown command "${command}"\n\n${HELP.main}`);
    return 1;
  }
  const cmd = command as Command;
  let args: Args;
  try {
    args = parseArgs(rest);
  } catch (e) {
    console.error(`error: ${(e as Error).message}\n\n${HELP[cmd]}`);
    return 1;
  }
  if (args.flags.has('help') || args.flags.has('h')) {
    console.log(HELP[cmd]);
    if (cmd !== 'sample' && cmd !== 'register') console.log(`\nConfig fields and defaults:\n${describeConfig(CONFIG_SCHEMAS[cmd])}`);
    return 0;
  }
  if (cmd === 'register') return cmdRegister(args);
  try {
    const be = await initBackend({ backend: process.env.HONE_TF_BACKEND || undefined, wasmThreads: process.env.HONE_WASM_THREADS });
    console.log(`[backend] ${be.name} (${be.reason})`);
    if (cmd === 'pretrain') await cmdPretrain(args);
    else if (cmd === 'sft') await cmdSft(args);
    else if (cmd === 'rm') await cmdRm(args);
    else if (cmd === 'ppo') await cmdPpo(args);
    else if (cmd === 'dpo') await cmdDpo(args);
    else await cmdSample(args);
    return 0;
  } catch (e) {
    console.error(`error: ${(e as Error).message}`);
    return 1;
  }
}

/** `register`: needs no TensorFlow backend (the weights are checked and copied as arrays). */
async function cmdRegister(args: Args): Promise<number> {
  try {
    const dir = str(args, 'dir');
    const folder = str(args, 'folder');
    if (!dir === !folder) throw new Error('give --dir FOLDER (a folder on this machine) or --folder NAME (one in the server\'s HONE_MODELS_DIR)');
    if (args.flags.has('check')) {
      if (!dir) throw new Error('--check needs --dir');
      console.log(describeInspection(dir, await inspectBaseFolder(dir)));
      return 0;
    }
    const token = str(args, 'token') ?? process.env.HONE_TOKEN;
    if (!token) throw new Error('an admin API token is needed: --token or HONE_TOKEN (create one at /account/tokens)');
    const target = { url: str(args, 'url') ?? process.env.HONE_URL ?? 'http://localhost:3000', token, projectId: str(args, 'project', true), name: str(args, 'name') };
    const checkpoint = dir ? await registerFolder(dir, target, (l) => console.log(`[register] ${l}`)) : await registerServerFolder(folder!, target);
    console.log(JSON.stringify(checkpoint));
    return 0;
  } catch (e) {
    console.error(`error: ${(e as Error).message}`);
    return 1;
  }
}

/** "field = default" lines from a config schema's defaults. */
function describeConfig(schema: z.ZodType): string {
  const defaults = schema.parse({}) as Record<string, unknown>;
  return Object.entries(defaults)
    .map(([k, v]) => `  ${k} = ${JSON.stringify(v)}`)
    .join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
