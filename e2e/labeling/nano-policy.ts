// Saves an untrained nano GPT-2-tokenizer policy checkpoint into the folder given as argument:
// the smallest real model the e2e worker can load and answer with. Run in its own process
// (node --import tsx): TensorFlow.js needs Node's loader and a backend, which the Playwright
// runner's transform does not give.
import { initBackend } from '../../lib/ml/backend';
import { GPT } from '../../lib/ml/model/gpt';
import { createTokenizer, GPT2_VOCAB_SIZE } from '../../lib/ml/tokenizer';
import { saveCheckpoint } from '../../lib/ml/checkpoint';

const dir = process.argv[2];
if (!dir) throw new Error('Usage: node --import tsx e2e/labeling/nano-policy.ts DIR');
await initBackend({ backend: 'cpu' });
const model = new GPT({ vocabSize: GPT2_VOCAB_SIZE, nPositions: 64, nEmbd: 32, nLayer: 2, nHead: 4, layerNormEpsilon: 1e-5, tokenizer: 'gpt2' }, { seed: 7 });
await saveCheckpoint(dir, { model, tokenizer: createTokenizer('gpt2'), hone: { stage: 'policy', step: 1 } });
model.dispose();
