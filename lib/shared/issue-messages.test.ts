// Validation issues in words: no schema paths, no zod wording, the schema's own sentences kept.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ProjectInput } from './schemas';
import { STAGE_CONFIG_SCHEMAS } from './stage-config';
import { fieldLabel, issueDetails, issueMessage } from './issue-messages';

const first = (schema: z.ZodType, value: unknown) => {
  const r = schema.safeParse(value);
  if (r.success) throw new Error('expected a failure');
  return issueMessage(r.error.issues[0]!);
};
const settings = z.object({ settings: z.object({ sft: STAGE_CONFIG_SCHEMAS.sft, ppo: STAGE_CONFIG_SCHEMAS.ppo }).partial() });

describe('fieldLabel', () => {
  it('names fields in words, with their stage and list entry', () => {
    expect(fieldLabel(['settings', 'sft', 'steps'])).toBe('SFT steps');
    expect(fieldLabel(['settings', 'ppo', 'klCoef'])).toBe('PPO KL coefficient');
    expect(fieldLabel(['settings', 'rm', 'lr'])).toBe('Reward model learning rate');
    expect(fieldLabel(['samplingParams', 'topP'])).toBe('Top-p');
    expect(fieldLabel(['leaseMinutes'])).toBe('Lease');
    expect(fieldLabel(['tiers', 1, 0])).toBe('Tiers (item 2)');
    expect(fieldLabel([])).toBe('The request');
  });
});

describe('issueMessage', () => {
  it('rewrites zod wording as what a person should do, without paths', () => {
    expect(first(settings, { settings: { sft: { steps: '10' } } })).toBe('SFT steps must be a number.');
    expect(first(settings, { settings: { sft: { steps: 1.5 } } })).toBe('SFT steps must be a whole number.');
    expect(first(settings, { settings: { sft: { steps: 0 } } })).toBe('SFT steps must be more than 0.');
    expect(first(settings, { settings: { sft: { evalFraction: 0.9 } } })).toBe('SFT evaluation fraction must be at most 0.5.');
    expect(first(z.object({ kind: z.enum(['a', 'b']) }), { kind: 'c' })).toBe('Kind must be “a” or “b”.');
    expect(first(z.object({ name: z.string() }), {})).toBe('Name is missing; fill it in.');
    expect(first(z.object({ name: z.string().min(1) }), { name: '' })).toBe('Name is empty; fill it in.');
    expect(first(z.object({ email: z.email() }), { email: 'x' })).toBe('Email must be an email address.');
  });

  it('keeps a schema’s own message, naming the field when the message starts in lower case', () => {
    expect(first(ProjectInput, { name: ' ' })).toBe('Name is required');
    expect(first(ProjectInput, { name: 'x', mixRanking: -1 })).toBe('Rankings mix weight must be 0 or more');
  });

  it('says which unknown settings to remove', () => {
    expect(first(ProjectInput, { name: 'x', colour: 'red' })).toBe('“colour” is not a setting Hone knows; remove it.');
    expect(first(settings, { settings: { sft: { stepz: 1, lrr: 2 } } })).toBe('“stepz” or “lrr” are not settings Hone knows in SFT settings; remove them.');
  });

  it('never shows a schema path or zod’s wording', () => {
    const r = ProjectInput.safeParse({ name: 5, k: 'x', overlap: 99, samplingParams: { temperature: 'hot' }, extra: 1 });
    const details = issueDetails(r.error!.issues);
    expect(details.map((d) => d.path)).toContain('samplingParams.temperature');
    for (const d of details) {
      expect(d.message).not.toMatch(/Invalid input|Too small|Too big|expected \w+, received|\w+\.\w+:/);
      expect(d.message).not.toContain(d.path.includes('.') ? d.path : '\u0000');
    }
  });
});
