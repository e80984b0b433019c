import { describe, expect, it } from 'vitest';
import { describeShape, formatParameters, PRESET_SHAPES, shapeKey, shapeOfKey, type ModelShape } from './model-shape';

const distil: ModelShape = { nLayer: 6, nEmbd: 768, nHead: 12, nPositions: 1024, vocabSize: 50264, tokenizer: 'gpt2' };

describe('shape keys', () => {
  it('names a preset shape by the preset and any other shape by its dimensions, and reads both back', () => {
    expect(shapeKey(PRESET_SHAPES.gpt2)).toBe('gpt2');
    expect(shapeKey({ ...PRESET_SHAPES.nano })).toBe('nano');
    expect(shapeKey(distil)).toBe('gpt2-family-L6-C768-H12-T1024');
    expect(shapeOfKey('gpt2-family-L6-C768-H12-T1024')).toEqual(distil);
    expect(shapeOfKey('small')).toEqual(PRESET_SHAPES.small);
    expect(shapeOfKey('byte-L3-C96-H4-T64')).toMatchObject({ vocabSize: 264, tokenizer: 'byte' });
    expect(shapeOfKey('mystery')).toBeNull();
  });

  it('describes a shape for people', () => {
    expect(describeShape(PRESET_SHAPES.gpt2)).toBe('12 layers × 768, 12 heads, context 1024, GPT-2 BPE, 124M parameters');
    expect(formatParameters(3_234_560)).toBe('3.2M');
    expect(formatParameters(85_000)).toBe('85k');
  });
});
