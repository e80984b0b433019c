// Where a stage finds its inputs: the round's start checkpoint and the earlier stages' final
// folders (a function of the round and the stage, see lib/data/training/paths.ts).
import { checkpointLocation } from '../../lib/data/checkpoints/list-checkpoints';
import { stageUri } from '../../lib/data/training/paths';
import type { RoundInfo } from './run';

export async function startUri(round: RoundInfo): Promise<string> {
  if (!round.startCheckpointId) throw new Error('This round has no start checkpoint (its base pretraining did not register one).');
  const ck = await checkpointLocation(round.startCheckpointId);
  if (!ck) throw new Error(`The start checkpoint ${round.startCheckpointId} no longer exists.`);
  if (ck.preset !== round.preset) throw new Error(`The start checkpoint is a "${ck.preset}" model but the round is "${round.preset}".`);
  return ck.uri;
}

export const outputUri = (round: RoundInfo, stage: 'pretrain' | 'sft' | 'rm' | 'ppo' | 'dpo') => stageUri(round.projectId, round.id, stage);
export const has = (round: RoundInfo, stage: string) => round.stages.includes(stage);

/** The SFT model of the round: its SFT output, or the start checkpoint when SFT was skipped. */
export async function sftUri(round: RoundInfo): Promise<string> {
  return has(round, 'sft') ? outputUri(round, 'sft') : startUri(round);
}

/** The stage whose output is the round's policy: PPO or DPO (a round runs one of them), else none (the SFT model is the policy). */
export function policyStage(round: RoundInfo): 'ppo' | 'dpo' | null {
  return has(round, 'ppo') ? 'ppo' : has(round, 'dpo') ? 'dpo' : null;
}

/** The round's final policy: PPO's or DPO's output, else the SFT model. */
export async function policyUri(round: RoundInfo): Promise<string> {
  const stage = policyStage(round);
  return stage ? outputUri(round, stage) : sftUri(round);
}
