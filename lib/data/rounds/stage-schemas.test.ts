// The web app validates stage settings without loading lib/ml (TensorFlow and its native
// backends stay out of the Next.js bundle): it rebuilds the trainers' zod schemas from their
// JSON Schema in stage-schemas.generated.ts. This test fails when that file and the ML core's
// schemas disagree; `UPDATE_STAGE_SCHEMAS=1 npx vitest run lib/data/rounds/stage-schemas.test.ts`
// rewrites it.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { z } from 'zod';
import { PretrainConfigSchema } from '../../ml/train/pretrain';
import { SftConfigSchema } from '../../ml/train/sft';
import { RewardConfigSchema } from '../../ml/train/reward';
import { PpoConfigSchema } from '../../ml/train/ppo';
import { STAGE_JSON_SCHEMAS } from './stage-schemas.generated';
import { parseStageSettings } from './settings';

const ML = { pretrain: PretrainConfigSchema, sft: SftConfigSchema, rm: RewardConfigSchema, ppo: PpoConfigSchema };
const current = Object.fromEntries(Object.entries(ML).map(([k, s]) => [k, z.toJSONSchema(s, { io: 'input' })]));

describe('stage settings schemas', () => {
  it('match the ML core’s zod schemas', () => {
    if (process.env.UPDATE_STAGE_SCHEMAS) {
      writeFileSync(
        new URL('./stage-schemas.generated.ts', import.meta.url),
        `// GENERATED from the ML core's zod schemas by stage-schemas.test.ts (UPDATE_STAGE_SCHEMAS=1). Do not edit.\n` +
          `export const STAGE_JSON_SCHEMAS = ${JSON.stringify(current, null, 2)} as const;\n`,
      );
      return;
    }
    expect(STAGE_JSON_SCHEMAS, 'run UPDATE_STAGE_SCHEMAS=1 npx vitest run lib/data/rounds/stage-schemas.test.ts').toEqual(current);
  });

  it('parse like the ML core does (defaults, ranges, unknown keys)', () => {
    const web = parseStageSettings({ sft: { steps: 7 }, ppo: { klTarget: null } });
    for (const [k, s] of Object.entries(ML)) expect(web[k as keyof typeof ML]).toEqual(s.parse(k === 'sft' ? { steps: 7 } : k === 'ppo' ? { klTarget: null } : {}));
    expect(() => parseStageSettings({ rm: { lr: 0 } })).toThrow();
    expect(() => parseStageSettings({ sft: { bogus: 1 } })).toThrow();
    expect(() => parseStageSettings({ ppo: { steps: 2.5 } })).toThrow();
  });
});
