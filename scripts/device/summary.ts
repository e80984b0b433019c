// summary.json of a device run (scripts/device/run-bench.sh): each run's result from its log, the
// WebGPU/CPU ratios of the small preset (the same trainer code on both), and the aims as
// measured (reported, never asserted: a slow card is a finding, not a failure).
type Json = Record<string, unknown>;

/** What a run left: its last JSON line, else its last `partial {…}` line (killed mid-run), else why none. */
export function runResult(log: string, status: number | undefined): Json {
  const lines = log.split('\n').map((l) => l.trim()).filter(Boolean);
  const killed = status === 124 || status === 137 ? { note: `stopped at its time limit (exit ${status})` } : {};
  const parse = (text: string): Json | null => {
    try {
      const v: unknown = JSON.parse(text);
      return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null;
    } catch {
      return null;
    }
  };
  for (const l of [...lines].reverse()) {
    const j = l.startsWith('{') ? parse(l) : null;
    if (j) return { status: status ?? null, ...killed, ...j };
  }
  for (const l of [...lines].reverse()) {
    const j = l.startsWith('partial {') ? parse(l.slice('partial '.length)) : null;
    if (j) return { status: status ?? null, ...killed, ...j, partial: true };
  }
  const last = lines[lines.length - 1] ?? 'no output';
  return { status: status ?? null, error: 'note' in killed ? `${killed.note} before any part finished; its last line: ${last}` : last };
}

const FIGURES = ['sft', 'rm', 'ppo_update', 'ppo_rollout', 'sample_b1', 'sample_batch'] as const;

function tokensPerS(run: Json | undefined, figure: string): number | null {
  const parts = run?.parts as Record<string, Json> | undefined;
  const v = parts?.[figure]?.tokens_per_s;
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : null;
}

const ratio = (a: number | null, b: number | null) => (a !== null && b !== null ? Math.round((a / b) * 100) / 100 : null);

export const AIMS = { smallSftVsCpu: 10, gpt2SftTokensPerS: 5000 } as const;

/**
 * logs: run name (probe, gpu-small, gpu-large, cpu-small) → its log text; status: run name →
 * exit status. Runs not started are absent from both.
 */
export function summarize(logs: Record<string, string>, status: Record<string, number | undefined>): Json {
  const runs: Record<string, Json> = {};
  for (const [name, log] of Object.entries(logs)) runs[name] = runResult(log, status[name]);
  const probe = runs.probe;
  const probeOk = probe && probe.status === 0 && !probe.error;
  const gpuSmall = runs['gpu-small'];
  const cpuSmall = runs['cpu-small'];
  const gpuLarge = runs['gpu-large'];
  const ratios: Record<string, number | null> = {};
  for (const f of FIGURES) ratios[f] = ratio(tokensPerS(gpuSmall, f), tokensPerS(cpuSmall, f));
  const smallSft = ratios.sft;
  const gpt2Sft = tokensPerS(gpuLarge, 'sft');
  const adapter = (probe?.adapter ?? null) as Json | null;
  return {
    webgpu: probeOk ? 'available' : `unavailable: ${String(probe?.error ?? 'the probe did not run')}`,
    adapter: adapter ? String(adapter.description || adapter.device || 'unnamed adapter') : null,
    software_adapter: adapter ? Boolean(adapter.software) : null,
    gpu: probe?.gpu ?? gpuSmall?.gpu ?? null,
    cpu_backend: cpuSmall ? String(cpuSmall.reason ?? cpuSmall.backend ?? cpuSmall.error ?? '') : null,
    // WebGPU tokens/s over the CPU run's, figure by figure (small preset, same code).
    small_gpu_vs_cpu: ratios,
    aims: {
      small_sft_vs_cpu: { value: smallSft, aim: AIMS.smallSftVsCpu, met: smallSft === null ? null : smallSft >= AIMS.smallSftVsCpu },
      gpt2_shape_sft_tokens_per_s: { value: gpt2Sft, aim: AIMS.gpt2SftTokensPerS, met: gpt2Sft === null ? null : gpt2Sft >= AIMS.gpt2SftTokensPerS },
    },
    runs,
  };
}

/** The one-line form printed last: the headline figures without the per-run detail. */
export function headline(summary: Json): Json {
  const runs = summary.runs as Record<string, Json>;
  const brief: Record<string, Json> = {};
  for (const [name, r] of Object.entries(runs)) {
    const parts = (r.parts ?? {}) as Record<string, Json>;
    const figures: Json = {};
    const tflops: Json = {};
    const ofPeak: Json = {};
    for (const [k, v] of Object.entries(parts)) {
      if (typeof v.tokens_per_s === 'number') figures[k] = v.tokens_per_s;
      if (typeof v.tflops === 'number') tflops[k] = v.tflops;
      if (typeof v.peak_fraction === 'number') ofPeak[k] = v.peak_fraction;
    }
    brief[name] = {
      status: r.status,
      ...(r.error ? { error: r.error } : {}),
      ...(r.partial ? { partial: true } : {}),
      ...(Object.keys(parts).length ? { tokens_per_s: figures, tflops } : {}),
      ...(Object.keys(ofPeak).length ? { peak_fraction: ofPeak } : {}),
      ...(r.errors && Object.keys(r.errors as Json).length ? { errors: r.errors } : {}),
      ...(r.skipped && Object.keys(r.skipped as Json).length ? { skipped: Object.keys(r.skipped as Json) } : {}),
    };
  }
  return { ...summary, runs: brief };
}
