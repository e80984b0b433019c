// Command line for researchers: train each stage and sample on JSONL files, with checkpoints
// in the same folder format the platform uses.
//
//   npx tsx lib/ml/cli.ts pretrain|sft|rm|ppo|sample --help
//
// This is the one lib/ml file that reads process.env (HONE_TF_BACKEND, HONE_WASM_THREADS are
// handed to initBackend) and touches the terminal; the trainers stay pure.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { z } from 'zod';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from './backend';
import { GPT } from './model/gpt';
import { PRESETS, type PresetName } from './model/config';
import { createTokenizer, decodeAssistantReply, encodeChat, type Tokenizer } from './tokenizer';
import { loadCheckpoint, saveCheckpoint, type HoneMeta } from './checkpoint';
import { sample } from './sample';
import { RewardModel, ValueModel, criticFromRewardModel, rewardNormalizer, rmReward } from './heads';
import { readJsonl } from './data/jsonl';
import {
  PretrainExampleSchema,
  PromptExampleSchema,
  RankingExampleSchema,
  SftExampleSchema,
  type PromptExample,
  type SftExample,
} from './data/schemas';
import { PretrainConfigSchema, SftConfigSchema, RewardConfigSchema, PpoConfigSchema } from '../shared/stage-config';
import { trainPretrain } from './train/pretrain';
import { sftRows, trainSft } from './train/sft';
import { trainRewardModel } from './train/reward';
import { trainPpo, type RewardFn } from './train/ppo';
import { pretrainRows } from './train/pretrain';
import type { LmRow } from './train/lm';
import type { ResumeState, StepReport } from './train/common';

const COMMANDS = ['pretrain', 'sft', 'rm', 'ppo', 'sample'] as const;
type Command = (typeof COMMANDS)[number];

const COMMON = `
  --data FILE        JSONL training data, one record per line
  --eval FILE        JSONL held-out data (default: config.evalFraction of --data)
  --out DIR          checkpoint folder, rewritten at every checkpoint (with optimizer state)
  --from DIR         checkpoint to start from
  --preset NAME      nano | small | gpt2: a freshly initialised model instead of --from
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
  sample     replies from a checkpoint for {"context": [...]} lines or --prompt

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
  sample: `Usage: npx tsx lib/ml/cli.ts sample --from DIR (--prompt TEXT | --data prompts.jsonl) [options]

  --prompt TEXT      one user message
  --data FILE        {"context": [messages]} lines
  --max-tokens N     (default 64)   --temperature T (default 0.7)   --top-k K (0 = off)
  --top-p P (1 = off)               --n N replies per prompt (default 1)   --seed N
Prints one JSON line per reply: {"prompt", "reply", "tokens", "finished"}.`,
};

const CONFIG_SCHEMAS = { pretrain: PretrainConfigSchema, sft: SftConfigSchema, rm: RewardConfigSchema, ppo: PpoConfigSchema } as const;

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

/** The starting model: --from checkpoint or a fresh --preset. */
async function startModel(args: Args, required: boolean): Promise<{ model: GPT; tokenizer: Tokenizer; parent: string | null; preset?: string; extra: Map<string, tf.Tensor> }> {
  const from = str(args, 'from');
  const preset = str(args, 'preset');
  if (from && preset) throw new Error('give either --from or --preset, not both');
  if (from) {
    const c = await loadCheckpoint(from);
    return { model: c.model, tokenizer: c.tokenizer, parent: path.resolve(from), preset: c.hone.preset, extra: c.extraTensors };
  }
  if (preset) {
    if (!(preset in PRESETS)) throw new Error(`--preset must be one of ${Object.keys(PRESETS).join(', ')}, got "${preset}"`);
    const config = PRESETS[preset as PresetName];
    return { model: new GPT(config, { seed: num(args, 'seed', 1) }), tokenizer: createTokenizer(config.tokenizer), parent: null, preset, extra: new Map() };
  }
  if (required) throw new Error('--from DIR (a checkpoint) is required');
  throw new Error('give --from DIR or --preset nano|small|gpt2');
}

/** With --resume: the checkpoint in --out supplies weights, optimizer and trainer state. */
async function resumeFrom(args: Args, out: string) {
  if (!args.flags.has('resume')) return undefined;
  if (!existsSync(path.join(out, 'hone.json'))) throw new Error(`--resume: no checkpoint in ${out}`);
  const c = await loadCheckpoint(out, { withOptimizer: true });
  if (!c.optimizerState) throw new Error(`--resume: ${out} has no optimizer state`);
  const resume: ResumeState = { step: c.hone.step, optimizerState: c.optimizerState, trainerState: c.hone.trainerState };
  console.log(`[resume] from ${out} at step ${c.hone.step}`);
  return { checkpoint: c, resume };
}

function hone(stage: HoneMeta['stage'], base: { parent: string | null; preset?: string }, data: string, step: number, metrics: Record<string, number>, trainerState?: unknown): HoneMeta {
  return { stage, preset: base.preset, parent: base.parent, datasetHash: fileHash(data), step, metrics, trainerState };
}

async function cmdPretrain(args: Args): Promise<void> {
  const data = str(args, 'data', true);
  const out = str(args, 'out', true);
  const config = parseWith(PretrainConfigSchema, args.config, 'config');
  const texts = readJsonl(data, PretrainExampleSchema);
  const r = await resumeFrom(args, out);
  const start = r ? { model: r.checkpoint.model, tokenizer: r.checkpoint.tokenizer, parent: r.checkpoint.hone.parent ?? null, preset: r.checkpoint.hone.preset } : await startModel(args, false);
  console.log(`[pretrain] ${texts.length} texts, model ${JSON.stringify(start.model.config)}`);
  const result = await trainPretrain({
    model: start.model,
    tokenizer: start.tokenizer,
    data: texts,
    config,
    resume: r?.resume,
    callbacks: {
      onStep: progress('pretrain', args.flags.has('log-every') ? num(args, 'log-every', 1) : undefined),
      onCheckpoint: async (s) => {
        await saveCheckpoint(out, { model: s.model, tokenizer: start.tokenizer, hone: hone('pretrain', start, data, s.step, s.metrics, s.trainerState), optimizerState: s.optimizerState });
        console.log(`[checkpoint] ${out} (step ${s.step})`);
      },
    },
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
  const r = await resumeFrom(args, out);
  const start = r ? { model: r.checkpoint.model, tokenizer: r.checkpoint.tokenizer, parent: r.checkpoint.hone.parent ?? null, preset: r.checkpoint.hone.preset } : await startModel(args, false);
  const best = `${out}-best`;
  console.log(`[sft] ${demos.length} conversations${evaluation ? `, ${evaluation.length} held out` : ''}`);
  const result = await trainSft({
    model: start.model,
    tokenizer: start.tokenizer,
    data: demos,
    evaluation,
    config,
    resume: r?.resume,
    callbacks: {
      onStep: progress('sft', args.flags.has('log-every') ? num(args, 'log-every', 1) : undefined),
      onCheckpoint: async (s) => {
        const meta = hone('sft', start, data, s.step, s.metrics, s.trainerState);
        await saveCheckpoint(out, { model: s.model, tokenizer: start.tokenizer, hone: meta, optimizerState: s.optimizerState });
        if (s.best) await saveCheckpoint(best, { model: s.model, tokenizer: start.tokenizer, hone: meta });
        console.log(`[checkpoint] ${out}${s.best ? ` and ${best} (best held-out loss ${s.trainerState.bestEvalLoss?.toFixed(4)})` : ''} (step ${s.step})`);
      },
    },
  });
  for (const t of result.bestWeights?.values() ?? []) t.dispose();
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
  const r = await resumeFrom(args, out);
  const start = r
    ? { model: r.checkpoint.model, tokenizer: r.checkpoint.tokenizer, parent: r.checkpoint.hone.parent ?? null, preset: r.checkpoint.hone.preset, extra: r.checkpoint.extraTensors }
    : await startModel(args, false);
  const rm = new RewardModel(start.model, start.extra.get('score.weight'), config.seed);
  console.log(`[rm] ${rankings.length} rankings${evaluation ? `, ${evaluation.length} held out` : ''}`);
  const result = await trainRewardModel({
    model: rm,
    tokenizer: start.tokenizer,
    data: rankings,
    evaluation,
    config,
    resume: r?.resume,
    callbacks: {
      onStep: progress('rm', args.flags.has('log-every') ? num(args, 'log-every', 1) : undefined),
      onCheckpoint: async (s) => {
        await saveCheckpoint(out, {
          model: s.model.backbone,
          tokenizer: start.tokenizer,
          hone: hone('rm', start, data, s.step, s.metrics, s.trainerState),
          extraTensors: s.model.extraTensors(),
          optimizerState: s.optimizerState,
          architecture: 'reward',
        });
        console.log(`[checkpoint] ${out} (step ${s.step})`);
      },
    },
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

  const sft = await loadCheckpoint(from);
  const tok = sft.tokenizer;
  const r = await resumeFrom(args, out);
  const policy = r ? r.checkpoint.model : sft.model.clone();
  const reference = sft.model;

  let reward: RewardFn;
  let critic: ValueModel;
  if (rmDir) {
    const rmc = await loadCheckpoint(rmDir);
    if (!rmc.extraTensors.has('score.weight')) throw new Error(`--rm ${rmDir}: no score.weight (is it a reward model checkpoint?)`);
    const rm = new RewardModel(rmc.model, rmc.extraTensors.get('score.weight'));
    if (rmc.tokenizer.kind !== tok.kind) throw new Error(`--rm uses the ${rmc.tokenizer.kind} tokenizer, the policy ${tok.kind}`);
    const demosFile = str(args, 'demos');
    const demos: SftExample[] = demosFile ? readJsonl(demosFile, SftExampleSchema) : [];
    let offset = 0;
    if (demos.length) {
      const norm = rewardNormalizer(rm, tok, demos);
      offset = norm.offset;
      console.log(`[ppo] reward normalised on ${norm.count} demonstrations: offset ${offset.toFixed(4)}`);
    } else console.log('[ppo] no --demos: RM scores are used without normalisation');
    const score = rmReward(rm, tok, offset);
    reward = score;
    critic = criticFromRewardModel(rm, offset);
  } else {
    reward = builtinReward(rewardSpec!);
    critic = new ValueModel(sft.model.clone());
  }
  if (r) {
    // The critic of the interrupted run.
    const v = await loadCheckpoint(valueOut);
    critic.dispose();
    critic = new ValueModel(v.model, v.extraTensors.get('score.weight'), v.extraTensors.get('score.bias')?.dataSync()[0] ?? 0);
  }

  let ptx: LmRow[] | undefined;
  const ptxFile = str(args, 'ptx');
  if (ptxFile) {
    const first = readFileSync(ptxFile, 'utf8').split(/\r?\n/).find((l) => l.trim());
    const isChat = first ? 'messages' in (JSON.parse(first) as object) : false;
    const maxLength = policy.config.nPositions;
    ptx = isChat ? sftRows(tok, readJsonl(ptxFile, SftExampleSchema), maxLength) : pretrainRows(tok, readJsonl(ptxFile, PretrainExampleSchema), maxLength);
    console.log(`[ppo] ${ptx.length} ptx rows from ${ptxFile}`);
  }
  console.log(`[ppo] ${prompts.length} prompts, reward ${rmDir ? `RM ${rmDir}` : rewardSpec}`);
  const base = { parent: path.resolve(from), preset: sft.hone.preset };
  const result = await trainPpo({
    policy,
    reference,
    critic,
    tokenizer: tok,
    prompts,
    reward,
    ptx,
    config,
    resume: r?.resume,
    callbacks: {
      onStep: progress('ppo', args.flags.has('log-every') ? num(args, 'log-every', 1) : undefined),
      onCheckpoint: async (s) => {
        await saveCheckpoint(valueOut, { model: s.critic.backbone, tokenizer: tok, hone: hone('value', base, data, s.step, s.metrics), extraTensors: s.critic.extraTensors(), architecture: 'reward' });
        await saveCheckpoint(out, { model: s.policy, tokenizer: tok, hone: hone('policy', base, data, s.step, s.metrics, s.trainerState), optimizerState: s.optimizerState });
        console.log(`[checkpoint] ${out} and ${valueOut} (step ${s.step})`);
      },
    },
  });
  console.log(`[ppo] done: ${result.steps} steps, score ${result.metrics.score?.toFixed(4)}, kl ${result.metrics.kl?.toFixed(4)}, kl_coef ${result.klCoef.toFixed(4)} → ${out}`);
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
  const res = sample(c.model, queries, {
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
    if (cmd !== 'sample') console.log(`\nConfig fields and defaults:\n${describeConfig(CONFIG_SCHEMAS[cmd])}`);
    return 0;
  }
  try {
    const be = await initBackend({ backend: process.env.HONE_TF_BACKEND || undefined, wasmThreads: process.env.HONE_WASM_THREADS });
    console.log(`[backend] ${be.name} (${be.reason})`);
    if (cmd === 'pretrain') await cmdPretrain(args);
    else if (cmd === 'sft') await cmdSft(args);
    else if (cmd === 'rm') await cmdRm(args);
    else if (cmd === 'ppo') await cmdPpo(args);
    else await cmdSample(args);
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
