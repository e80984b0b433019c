// Reads an uploaded import file from a route request: a raw body (Content-Type text/csv,
// application/jsonl, application/x-ndjson, text/plain) or multipart/form-data with a "file"
// field. ?format=csv|jsonl overrides the guess.
import { AppError } from '@/lib/data/errors';
import { LIMITS } from '@/lib/shared/labeling';

export type Upload = { text: string; filename?: string; contentType?: string; format?: 'csv' | 'jsonl' };

export async function readUpload(req: Request): Promise<Upload> {
  const length = Number(req.headers.get('content-length') ?? 0);
  if (length > LIMITS.importBytes + 64 * 1024) throw new AppError('INVALID_INPUT', `The file is larger than ${LIMITS.importBytes / 1024 / 1024} MiB. Nothing was imported.`);
  const q = new URL(req.url).searchParams.get('format');
  if (q !== null && q !== 'csv' && q !== 'jsonl') throw new AppError('INVALID_INPUT', 'format must be csv or jsonl.', { field: 'format' });
  const format = q ?? undefined;
  const type = req.headers.get('content-type') ?? '';
  if (type.startsWith('multipart/form-data')) {
    let form: FormData;
    try {
      form = await req.formData();
    } catch {
      throw new AppError('INVALID_INPUT', 'The upload could not be read as multipart/form-data.');
    }
    const file = form.get('file');
    if (!file || typeof file === 'string') throw new AppError('INVALID_INPUT', 'Send the file in a form field named "file".', { field: 'file' });
    return { text: await file.text(), filename: file.name, contentType: file.type, format };
  }
  const text = await req.text();
  if (!text.trim()) throw new AppError('INVALID_INPUT', 'The file is empty. Nothing was imported.');
  return { text, contentType: type, format };
}
