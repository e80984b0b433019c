// Use case: an export as a stream of JSONL bytes (optionally gzip), read from a Postgres
// cursor in constant memory. Used by GET /api/exports/[format], by export jobs and by the
// benchmark. Bad input fails before the first byte: unknown format, impossible filter,
// missing project or snapshot, empty selection.
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { AppError } from '../errors';
import { projectSlug } from '../projects/project-slug';
import { exportFileName } from './export-file-name';
import { ExportFilter } from './filter';
import { getFormat, type ExportFormat } from './formats';
import { resolveSelection, type Selection } from './selection';
import { countUnits } from './units';
import { hasEditPairs } from './edit-pairs';

export type ExportStats = { rows: number; units: number; bytes: number };

export type OpenedExport = {
  format: ExportFormat;
  selection: Selection;
  gzip: boolean;
  filename: string;
  contentType: string;
  stats: ExportStats;
  /** The file's bytes; iterate once. */
  chunks: AsyncGenerator<Buffer>;
};

const CHUNK = 1 << 20;

async function* jsonl(format: ExportFormat, sel: Selection, stats: ExportStats, onProgress?: (units: number) => void): AsyncGenerator<Buffer> {
  let buf = '';
  for await (const batch of format.records(sel, (n) => {
    stats.units += n;
    onProgress?.(stats.units);
  })) {
    if (typeof batch === 'string') {
      buf += batch;
      for (let i = batch.indexOf('\n'); i !== -1; i = batch.indexOf('\n', i + 1)) stats.rows++;
    } else {
      for (const r of batch) buf += JSON.stringify(r) + '\n';
      stats.rows += batch.length;
    }
    if (buf.length >= CHUNK) {
      const b = Buffer.from(buf);
      buf = '';
      stats.bytes += b.length;
      yield b;
    }
  }
  if (buf) {
    const b = Buffer.from(buf);
    stats.bytes += b.length;
    yield b;
  }
}

async function* gzipped(src: AsyncGenerator<Buffer>): AsyncGenerator<Buffer> {
  const gz = Readable.from(src).pipe(createGzip({ level: 6 }));
  for await (const chunk of gz) yield chunk as Buffer;
}

export async function openExport(input: {
  format: string;
  filter: unknown;
  gzip?: boolean;
  onProgress?: (units: number) => void;
  /** Skip the empty-selection check (export jobs read a snapshot they just froze). */
  allowEmpty?: boolean;
}): Promise<OpenedExport> {
  const format = getFormat(input.format);
  const selection = await resolveSelection(ExportFilter.parse(input.filter));
  if (!input.allowEmpty && !(await countUnits(selection, format.unit, { exists: true })) && !(format.editPairs && (await hasEditPairs(selection)))) {
    throw new AppError('NOT_FOUND', `Nothing to export: no ${format.unit === 'tree' ? 'judgements or dialogues' : `${format.unit}s`} match this selection.`);
  }
  const gzip = input.gzip ?? false;
  const stats: ExportStats = { rows: 0, units: 0, bytes: 0 };
  const raw = jsonl(format, selection, stats, input.onProgress);
  const slug = await projectSlug(selection.projectId);
  return {
    format,
    selection,
    gzip,
    stats,
    filename: exportFileName({ slug, snapshotId: selection.snapshotId, format: format.id, gzip }),
    contentType: gzip ? 'application/gzip' : 'application/x-ndjson; charset=utf-8',
    chunks: gzip ? gzipped(raw) : raw,
  };
}

/** A web ReadableStream over the export; cancelling it (client gone) closes the cursor. */
export function toWebStream(chunks: AsyncGenerator<Buffer>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await chunks.next();
        if (done) controller.close();
        else controller.enqueue(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
      } catch (err) {
        console.error(JSON.stringify({ level: 'error', msg: 'export stream failed', error: String((err as Error)?.message ?? err) }));
        controller.error(err);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}
