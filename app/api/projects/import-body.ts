// Reads an uploaded import file from a route request: a raw body (Content-Type text/csv,
// application/jsonl, application/x-ndjson, text/plain) or multipart/form-data with a "file"
// field. ?format=csv|jsonl overrides the guess. The body is read at most up to
// BODY_LIMITS.import bytes (413 past it, before or while reading), so a 100 MB chunked upload
// is never held in full.
import { AppError } from '@/lib/data/errors';
import { BODY_LIMITS, queryEnum, readBodyBytes } from '@/lib/http';

export type Upload = { text: string; filename?: string; contentType?: string; format?: 'csv' | 'jsonl' };

export async function readUpload(req: Request): Promise<Upload> {
  const format = queryEnum(new URL(req.url).searchParams, 'format', ['csv', 'jsonl']);
  const type = req.headers.get('content-type') ?? '';
  const bytes = await readBodyBytes(req, BODY_LIMITS.import, 'The import file');
  if (type.startsWith('multipart/form-data')) {
    let form: FormData;
    try {
      // The bytes are already bounded; Response only parses the multipart framing.
      form = await new Response(bytes, { headers: { 'content-type': type } }).formData();
    } catch {
      throw new AppError('INVALID_INPUT', 'The upload could not be read as multipart/form-data.');
    }
    const file = form.get('file');
    if (!file || typeof file === 'string') throw new AppError('INVALID_INPUT', 'Send the file in a form field named "file".', { field: 'file' });
    return { text: await file.text(), filename: file.name, contentType: file.type, format };
  }
  const text = new TextDecoder().decode(bytes);
  if (!text.trim()) throw new AppError('INVALID_INPUT', 'The file is empty. Nothing was imported.');
  return { text, contentType: type, format };
}
