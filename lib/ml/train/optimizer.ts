// Adam(W) with an explicit epsilon, global-norm gradient clipping and gradient accumulation.
//
// Written out rather than tf.train.adam so that (1) epsilon is explicit (PPO implementations
// are sensitive to it; TRL/PyTorch use 1e-8 where Keras uses 1e-7), (2) the moments export to
// and import from a Map<string, tf.Tensor> that checkpoints store, so a resumed job continues
// bit-for-bit, and (3) several models (policy + critic) can share one optimizer under
// prefixed names, as TRL's PolicyAndValueWrapper does.
//
// On the native backend the update is TensorFlow's fused ResourceApplyAdam (one op per
// parameter instead of ~14; FusedAdam below) and the global norm is one L2Loss per gradient.
import * as tf from '@tensorflow/tfjs-core';
import { useNativeKernels } from '../ops/mode';
import { ResourceVariable, applyAdam, applyGradientDescent, sumOfSquares } from '../ops/native';

export type AdamOptions = {
  beta1?: number;
  beta2?: number;
  eps?: number;
  /** Decoupled weight decay (AdamW) applied to tensors of rank ≥ 2 only (not biases, LayerNorms). */
  weightDecay?: number;
};

export class Adam {
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  /** Number of updates applied so far (bias correction uses it). */
  t = 0;
  private m = new Map<string, tf.Variable>();
  private v = new Map<string, tf.Variable>();
  private fused: FusedAdam | null = null;

  constructor(
    readonly params: Map<string, tf.Variable>,
    opts: AdamOptions = {},
  ) {
    this.beta1 = opts.beta1 ?? 0.9;
    this.beta2 = opts.beta2 ?? 0.999;
    this.eps = opts.eps ?? 1e-8;
    this.weightDecay = opts.weightDecay ?? 0;
    if (useNativeKernels()) {
      this.fused = new FusedAdam(params);
      return;
    }
    for (const [name, p] of params) {
      this.m.set(name, tf.tidy(() => tf.variable(tf.zerosLike(p), false, undefined, 'float32')));
      this.v.set(name, tf.tidy(() => tf.variable(tf.zerosLike(p), false, undefined, 'float32')));
    }
  }

  /** One update with learning rate `lr`. Missing gradients leave their parameter unchanged. */
  apply(grads: Map<string, tf.Tensor>, lr: number): void {
    this.t++;
    const bc1 = 1 - this.beta1 ** this.t;
    const bc2 = 1 - this.beta2 ** this.t;
    if (this.fused) {
      this.fused.apply(this.params, grads, { lr, t: this.t, beta1: this.beta1, beta2: this.beta2, eps: this.eps, weightDecay: this.weightDecay });
      return;
    }
    tf.tidy(() => {
      for (const [name, p] of this.params) {
        const g = grads.get(name);
        if (!g) continue;
        const m = this.m.get(name)!;
        const v = this.v.get(name)!;
        m.assign(tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1)));
        v.assign(tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2)));
        const mhat = tf.div(m, bc1);
        const vhat = tf.div(v, bc2);
        let update = tf.div(mhat, tf.add(tf.sqrt(vhat), this.eps));
        if (this.weightDecay > 0 && p.rank >= 2) update = tf.add(update, tf.mul(p, this.weightDecay));
        p.assign(tf.sub(p, tf.mul(update, lr)));
      }
    });
  }

  /** Moments and step count as named tensors (`adam.m.<param>`, `adam.v.<param>`, `adam.t`), copies. */
  exportState(): Map<string, tf.Tensor> {
    const out = new Map<string, tf.Tensor>();
    if (this.fused) {
      for (const [name, m] of this.fused.m) out.set(`adam.m.${name}`, m.read());
      for (const [name, v] of this.fused.v) out.set(`adam.v.${name}`, v.read());
      out.set('adam.t', tf.scalar(this.t, 'float32'));
      return out;
    }
    for (const [name, m] of this.m) out.set(`adam.m.${name}`, tf.clone(m));
    for (const [name, v] of this.v) out.set(`adam.v.${name}`, tf.clone(v));
    out.set('adam.t', tf.scalar(this.t, 'float32'));
    return out;
  }

  /** Restores a state made by exportState; throws naming the first missing or mis-shaped tensor. */
  async importState(state: Map<string, tf.Tensor>): Promise<void> {
    const t = state.get('adam.t');
    if (!t) throw new Error('optimizer state: missing tensor adam.t');
    for (const [name, p] of this.params)
      for (const kind of ['m', 'v'] as const) {
        const key = `adam.${kind}.${name}`;
        const s = state.get(key);
        if (!s) throw new Error(`optimizer state: missing tensor ${key}`);
        if (s.shape.join(',') !== p.shape.join(','))
          throw new Error(`optimizer state: ${key} has shape [${s.shape}], expected [${p.shape}]`);
      }
    for (const [name] of this.params) {
      tf.tidy(() => {
        const m = tf.cast(state.get(`adam.m.${name}`)!, 'float32');
        const v = tf.cast(state.get(`adam.v.${name}`)!, 'float32');
        if (this.fused) {
          this.fused.m.get(name)!.write(m);
          this.fused.v.get(name)!.write(v);
        } else {
          this.m.get(name)!.assign(m);
          this.v.get(name)!.assign(v);
        }
      });
    }
    this.t = Math.round((await t.data())[0]);
  }

  dispose(): void {
    for (const x of this.m.values()) x.dispose();
    for (const x of this.v.values()) x.dispose();
    this.fused?.dispose();
  }
}

/**
 * Adam's state in TensorFlow resource variables, updated by ResourceApplyAdam in place. The
 * parameter is mirrored in a resource variable too: after each update the tf.js Variable is
 * pointed at a read of it (no copy), and the next update copies on write (one copy per step)
 * because that read is still alive. A parameter changed from outside (copyFrom, assign) is
 * noticed by its new dataId and written back before the next update.
 */
class FusedAdam {
  readonly m = new Map<string, ResourceVariable>();
  readonly v = new Map<string, ResourceVariable>();
  private readonly p = new Map<string, ResourceVariable>();
  private readonly written = new Map<string, object>();

  constructor(params: Map<string, tf.Variable>) {
    for (const [name, p] of params) {
      tf.tidy(() => {
        const zeros = tf.zerosLike(p);
        this.m.set(name, new ResourceVariable(zeros));
        this.v.set(name, new ResourceVariable(zeros));
        this.p.set(name, new ResourceVariable(p));
      });
      this.written.set(name, p.dataId);
    }
  }

  apply(params: Map<string, tf.Variable>, grads: Map<string, tf.Tensor>, o: { lr: number; t: number; beta1: number; beta2: number; eps: number; weightDecay: number }): void {
    tf.tidy(() => {
      const b2t = o.beta2 ** o.t;
      const scalars = [o.beta1 ** o.t, b2t, o.lr, o.beta1, o.beta2, o.eps * Math.sqrt(1 - b2t)].map((x) => tf.scalar(x));
      const decay = o.weightDecay > 0 ? tf.scalar(o.lr * o.weightDecay) : null;
      for (const [name, p] of params) {
        const g = grads.get(name);
        if (!g) continue;
        const pv = this.p.get(name)!;
        if (this.written.get(name) !== p.dataId) pv.write(p);
        if (decay && p.rank >= 2) applyGradientDescent(pv, decay, p); // AdamW: p −= lr·wd·p, then Adam
        applyAdam(pv, this.m.get(name)!, this.v.get(name)!, scalars, g);
        p.assign(pv.read());
        this.written.set(name, p.dataId);
      }
    });
  }

  dispose(): void {
    for (const x of [...this.m.values(), ...this.v.values(), ...this.p.values()]) x.dispose();
  }
}

/**
 * The squared global L2 norm of the gradients, as a tensor (nothing is read): a step reads it
 * together with its loss, in one read.
 */
export function squaredGlobalNorm(grads: Map<string, tf.Tensor>): tf.Scalar {
  if (useNativeKernels()) return sumOfSquares([...grads.values()]);
  return tf.tidy(() => {
    let sum = tf.scalar(0);
    for (const g of grads.values()) sum = tf.add(sum, tf.sum(tf.square(g)));
    return sum;
  });
}

/**
 * Scales all gradients in place (the map's tensors are replaced and the old ones disposed) so
 * that their global L2 norm, `norm` (read by the caller), is at most `maxNorm` (PyTorch's
 * clip_grad_norm_). maxNorm ≤ 0 or Infinity leaves them as they are.
 */
export function clipToNorm(grads: Map<string, tf.Tensor>, maxNorm: number, norm: number): void {
  if (!(maxNorm > 0 && Number.isFinite(maxNorm) && norm > maxNorm)) return;
  const scale = maxNorm / (norm + 1e-6);
  for (const [name, g] of grads) {
    grads.set(name, tf.mul(g, scale));
    g.dispose();
  }
}

/** squaredGlobalNorm, read, then clipToNorm: returns the norm before clipping. */
export async function clipByGlobalNorm(grads: Map<string, tf.Tensor>, maxNorm: number): Promise<number> {
  const total = squaredGlobalNorm(grads);
  const norm = Math.sqrt((await total.data())[0]);
  total.dispose();
  clipToNorm(grads, maxNorm, norm);
  return norm;
}

/** acc += grads (per name); `grads` is disposed. Returns acc. */
export function accumulateGrads(acc: Map<string, tf.Tensor>, grads: Map<string, tf.Tensor>): Map<string, tf.Tensor> {
  for (const [name, g] of grads) {
    const prev = acc.get(name);
    if (prev) {
      acc.set(name, tf.add(prev, g));
      prev.dispose();
      g.dispose();
    } else acc.set(name, g);
  }
  return acc;
}

export function disposeGrads(grads: Map<string, tf.Tensor>): void {
  for (const g of grads.values()) g.dispose();
  grads.clear();
}

/**
 * Gradients of `loss` with respect to the named variables, as a Map, and the loss as a scalar
 * tensor the caller reads (batched with the step's other scalars) and disposes.
 */
export function namedGrads(params: Map<string, tf.Variable>, loss: () => tf.Scalar): { value: tf.Scalar; grads: Map<string, tf.Tensor> } {
  const names = [...params.keys()];
  const vars = names.map((n) => params.get(n)!);
  const { value, grads } = tf.variableGrads(loss, vars);
  const out = new Map<string, tf.Tensor>();
  // variableGrads keys its result by variable name; map back to our names.
  names.forEach((n, i) => {
    const g = grads[vars[i].name];
    if (g) out.set(n, g);
  });
  return { value, grads: out };
}

/** a + b for an optional running sum of scalar tensors; both inputs are disposed. */
export function addScalar(sum: tf.Scalar | null, x: tf.Scalar): tf.Scalar {
  if (!sum) return x;
  const out = tf.add(sum, x) as tf.Scalar;
  sum.dispose();
  x.dispose();
  return out;
}
