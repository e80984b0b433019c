// Which files of a Hugging Face model folder the registration page uploads (client-safe). Hone
// reads config.json, model.safetensors and the tokenizer files (lib/ml/checkpoint/base-folder.ts);
// a hub download also carries README.md, other frameworks' weights and subfolders (onnx/, .cache/),
// which are left out so nobody uploads gigabytes for nothing.

/** Files Hone reads, or that transformers writes beside them and Hone keeps. */
export const HF_READ_FILES: ReadonlySet<string> = new Set([
  'config.json',
  'model.safetensors',
  'vocab.json',
  'merges.txt',
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'added_tokens.json',
  'generation_config.json',
]);
/** One archive of the whole folder. */
export const HF_ARCHIVE = /\.(tar|tgz|tar\.gz|zip)$/i;
// Weights Hone cannot read: sent only when no model.safetensors (or archive) is, so that the
// server can say what is wrong with them (a pickle, shards, TensorFlow or Flax weights).
const OTHER_WEIGHTS = /^(pytorch_model.*\.bin(\.index\.json)?|model.*\.safetensors(\.index\.json)?|tf_model\.h5|flax_model\.msgpack)$/;

export type UploadCandidate = {
  name: string;
  size: number;
  /** A folder pick's path, "<folder>/<file>" (the browser's webkitRelativePath); empty for a file pick. */
  relativePath?: string;
};

/**
 * Each chosen file with the reason it is not sent (null: it is sent), those sent first, smallest
 * first (so a refused small file fails before the weights are on the wire).
 */
export function planUpload<T extends UploadCandidate>(files: T[]): (T & { skip: string | null })[] {
  // A folder pick lists "<folder>/<file>"; deeper files are not part of the model.
  const nested = (f: T) => (f.relativePath ?? '').split('/').length > 2;
  const weights = files.find((f) => !nested(f) && (f.name === 'model.safetensors' || HF_ARCHIVE.test(f.name)));
  return files
    .map((f) => {
      let skip: string | null;
      if (nested(f)) skip = 'in a subfolder';
      else if (f.name.startsWith('.')) skip = 'hidden file';
      else if (HF_READ_FILES.has(f.name) || HF_ARCHIVE.test(f.name)) skip = null;
      else if (OTHER_WEIGHTS.test(f.name)) skip = weights ? `not needed: ${weights.name} is sent` : null;
      else skip = 'not read by Hone';
      return { ...f, skip };
    })
    .sort((a, b) => Number(a.skip !== null) - Number(b.skip !== null) || a.size - b.size);
}
