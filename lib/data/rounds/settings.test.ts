// A round's settings parse with the very schemas the trainers use, plus the platform's caps.
import { describe, expect, it } from 'vitest';
import { STAGE_CONFIG_SCHEMAS } from '../../shared/stage-config';
import { parseStageSettings, stageDefaults } from './settings';

describe('stage settings', () => {
  it('parse like the trainers do (defaults, ranges, unknown keys)', () => {
    const web = parseStageSettings({ sft: { steps: 7 }, ppo: { klTarget: null } });
    for (const [k, s] of Object.entries(STAGE_CONFIG_SCHEMAS))
      expect(web[k as keyof typeof STAGE_CONFIG_SCHEMAS]).toEqual(s.parse(k === 'sft' ? { steps: 7 } : k === 'ppo' ? { klTarget: null } : {}));
    expect(web.ppo.klTarget).toBeNull();
    expect(stageDefaults().sft.steps).toBe(200);
    expect(() => parseStageSettings({ rm: { lr: 0 } })).toThrow();
    expect(() => parseStageSettings({ sft: { bogus: 1 } })).toThrow();
    expect(() => parseStageSettings({ ppo: { steps: 2.5 } })).toThrow();
  });

  it('name the stage and field of each problem and refuse an unknown stage', () => {
    const err = (() => {
      try {
        parseStageSettings({ sft: { steps: 'ten' }, rm: { batchSize: 1e9 } });
      } catch (e) {
        return e as { issues: { path: (string | number)[] }[] };
      }
    })();
    expect(err?.issues.map((i) => i.path.join('.'))).toEqual(['settings.sft.steps', 'settings.rm.batchSize']);
    expect(() => parseStageSettings({ kto: {} })).toThrow(/unknown stage \\"kto\\"/);
    // DPO is a stage: its settings parse, and β ≤ 0 is refused with the schema's words.
    expect(parseStageSettings({ dpo: { beta: 0.5 } }).dpo.beta).toBe(0.5);
    expect(() => parseStageSettings({ dpo: { beta: 0 } })).toThrow(/β must be above 0/);
  });
});
