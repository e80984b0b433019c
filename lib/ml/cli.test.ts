import { describe, expect, it } from 'vitest';
import { builtinReward, parseArgs } from './cli';

describe('cli arguments', () => {
  it('reads flags, --config as JSON or key=value pairs', () => {
    const a = parseArgs(['--data', 'x.jsonl', '--config', 'steps=5', 'lr=1e-3', 'seed=x', '--resume', '--out', 'o']);
    expect(a.flags.get('data')).toBe('x.jsonl');
    expect(a.flags.get('resume')).toBe(true);
    expect(a.flags.get('out')).toBe('o');
    expect(a.config).toEqual({ steps: 5, lr: 1e-3, seed: 'x' });
    expect(parseArgs(['--config', '{"steps": 3}']).config).toEqual({ steps: 3 });
    expect(() => parseArgs(['data'])).toThrow(/unexpected argument/);
    expect(() => parseArgs(['--config', 'steps'])).toThrow(/key=value/);
  });

  it('has a token-frequency builtin reward', () => {
    expect(builtinReward('token-frequency:a')([], ['aab', ''], { responseIds: [], ended: [] })).toEqual([2 / 3, 0]);
    expect(() => builtinReward('length')).toThrow(/unknown builtin/);
  });
});
