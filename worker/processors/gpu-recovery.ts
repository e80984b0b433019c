// The GPU side of failAttempt for the processors that run the model (train, sample, infer):
// recovering the backend after a lost device, and noticing that another job's recovery
// replaced the backend under this one. Imports TensorFlow.js, so only those processors load it.
import { backendGeneration, backendInfo, recoverBackend, recoveryDone } from '../../lib/ml/backend';
import { clearPolicies } from '../stages/policy-cache';
import type { GpuHandling } from './outage-retry';
import type { ProcessorContext } from './types';

/** Call at the start of a job; pass the result to failAttempt. */
export function gpuHandling(ctx: ProcessorContext, note?: (message: string) => Promise<void>): GpuHandling {
  const started = backendGeneration();
  return {
    async recover(cause) {
      // Another job already replaced the device this one lost: use the new one, do not replace it again.
      const replaced = backendGeneration() !== started;
      if (replaced) await recoveryDone();
      const info = replaced ? backendInfo() : await recoverBackend(cause);
      // The cached policies' weights lived on the old device: the next job reloads them.
      clearPolicies();
      ctx.setBackend?.(info.name);
      ctx.log.warn('tensorflow backend recovered after a GPU failure', { backend: info.name, reason: info.reason });
      return `${info.name} (${info.engine})`;
    },
    backendChanged: () => backendGeneration() !== started,
    note,
  };
}
