// Checkpoints: safetensors I/O (safetensors.ts), the folder format (format.ts) and GPT
// save/load (checkpoint.ts).
export { saveCheckpoint, loadCheckpoint, readCheckpointMeta, type SaveCheckpointInput, type LoadedCheckpoint } from './checkpoint';
export {
  readCheckpointFolder,
  writeCheckpointFolder,
  toHfConfig,
  toHfGenerationConfig,
  fromHfConfig,
  FILES,
  STAGES,
  type HoneMeta,
  type Stage,
  type Architecture,
  type LoadedWeights,
} from './format';
export {
  parseSafetensors,
  serializeSafetensors,
  safetensorsBytes,
  readSafetensors,
  readSafetensorsRaw,
  writeSafetensors,
  type RawTensor,
  type WritableTensor,
  type SafetensorsDtype,
} from './safetensors';
