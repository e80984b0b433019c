import { describe, expect, it } from 'vitest';
import { modelLimitProblems, stageDefaults } from './index';

const defaults = stageDefaults();
const all = ['pretrain', 'sft', 'rm', 'ppo', 'evaluate'] as const;

describe('settings beyond the model', () => {
  it('accepts the defaults on nano (context 64)', () => {
    expect(modelLimitProblems(64, defaults, all)).toEqual([]);
  });

  it('refuses an SFT maximum length beyond the context, naming the field in words', () => {
    const p = modelLimitProblems(64, { ...defaults, sft: { ...defaults.sft, maxLength: 256 } }, all);
    expect(p).toEqual([
      {
        path: 'settings.sft.maxLength',
        stage: 'sft',
        field: 'maxLength',
        message: "SFT maximum length (256) is longer than the model's context of 64 tokens: use 64 or less, or leave it empty for the whole context.",
      },
    ]);
  });

  it('judges only the stages that run', () => {
    expect(modelLimitProblems(64, { ...defaults, sft: { ...defaults.sft, maxLength: 256 } }, ['rm', 'ppo', 'evaluate'])).toEqual([]);
  });

  it('refuses RM lengths, pretraining blocks and PPO budgets the context cannot hold', () => {
    const p = modelLimitProblems(
      64,
      { ...defaults, pretrain: { ...defaults.pretrain, blockSize: 128 }, rm: { ...defaults.rm, maxLength: 65 }, ppo: { ...defaults.ppo, maxNewTokens: 32, maxPromptTokens: 40 } },
      all,
    );
    expect(p.map((x) => x.path)).toEqual(['settings.pretrain.blockSize', 'settings.rm.maxLength', 'settings.ppo.maxPromptTokens']);
    expect(p[2].message).toBe("PPO maximum prompt tokens (40) plus maximum new tokens (32) is more than the model's context of 64 tokens: use 32 or less, or leave it empty.");
    const noRoom = modelLimitProblems(64, { ...defaults, ppo: { ...defaults.ppo, maxNewTokens: 64 } }, all);
    expect(noRoom.map((x) => x.message)).toEqual(["PPO maximum new tokens (64) leaves no room for the prompt in the model's context of 64 tokens: use 63 or less."]);
  });
});

describe('DPO settings beyond the model', () => {
  it('refuses a DPO maximum length beyond the context, only when DPO runs', () => {
    const long = { ...defaults, dpo: { ...defaults.dpo, maxLength: 65 } };
    expect(modelLimitProblems(64, long, ['sft', 'dpo', 'evaluate'])).toEqual([
      {
        path: 'settings.dpo.maxLength',
        stage: 'dpo',
        field: 'maxLength',
        message: "DPO maximum length (65) is longer than the model's context of 64 tokens: use 64 or less, or leave it empty for the whole context.",
      },
    ]);
    expect(modelLimitProblems(64, long, ['sft', 'rm', 'ppo', 'evaluate'])).toEqual([]);
    expect(modelLimitProblems(64, { ...defaults, dpo: { ...defaults.dpo, maxLength: 64 } }, ['dpo'])).toEqual([]);
  });
});
