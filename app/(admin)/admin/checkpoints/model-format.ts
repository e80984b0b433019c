// Short forms of a checkpoint's model for tables and the registration page (client-safe).
import type { ModelShape } from '@/lib/shared/model-shape';

/** "3 × 96, ctx 128, GPT-2 BPE": layers × width, context and tokenizer, for a table cell. */
export function shortShape(s: ModelShape): string {
  return `${s.nLayer} × ${s.nEmbd}, ctx ${s.nPositions}, ${s.tokenizer === 'gpt2' ? 'GPT-2 BPE' : 'bytes'}`;
}

/** "24.1 MB", "523 MB", "1.42 GB" (decimal units, as Hugging Face lists file sizes). */
export function formatBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e8 ? 0 : 1)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(n >= 1e5 ? 0 : 1)} kB`;
  return `${n} B`;
}
