import { describe, expect, it } from 'vitest';
import { planUpload } from './hf-upload';

const f = (name: string, size = 10, relativePath = '') => ({ name, size, relativePath });
const plan = (files: ReturnType<typeof f>[]) => planUpload(files).map((p) => [p.name, p.skip]);

describe('planUpload', () => {
  it('sends the files Hone reads, smallest first, and leaves out the rest of a hub download', () => {
    const files = [
      f('model.safetensors', 500, 'gpt2/model.safetensors'),
      f('config.json', 2, 'gpt2/config.json'),
      f('vocab.json', 50, 'gpt2/vocab.json'),
      f('merges.txt', 40, 'gpt2/merges.txt'),
      f('pytorch_model.bin', 500, 'gpt2/pytorch_model.bin'),
      f('README.md', 1, 'gpt2/README.md'),
      f('.gitattributes', 1, 'gpt2/.gitattributes'),
      f('model.onnx', 500, 'gpt2/onnx/model.onnx'),
      f('gpt2.lock', 1, 'gpt2/.cache/huggingface/gpt2.lock'),
    ];
    expect(plan(files)).toEqual([
      ['config.json', null],
      ['merges.txt', null],
      ['vocab.json', null],
      ['model.safetensors', null],
      ['README.md', 'not read by Hone'],
      ['.gitattributes', 'hidden file'],
      ['gpt2.lock', 'in a subfolder'],
      ['pytorch_model.bin', 'not needed: model.safetensors is sent'],
      ['model.onnx', 'in a subfolder'],
    ]);
  });

  it('sends other weights when there is no model.safetensors, so the server can say what is wrong', () => {
    expect(plan([f('pytorch_model.bin', 500), f('config.json', 2)])).toEqual([
      ['config.json', null],
      ['pytorch_model.bin', null],
    ]);
  });

  it('sends one archive of the folder, and not the pickle beside it', () => {
    expect(plan([f('gpt2.tar.gz', 400), f('pytorch_model.bin', 500)])).toEqual([
      ['gpt2.tar.gz', null],
      ['pytorch_model.bin', 'not needed: gpt2.tar.gz is sent'],
    ]);
  });
});
