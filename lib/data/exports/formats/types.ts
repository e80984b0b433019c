// What one export format is: documented top-level fields and a streaming writer that turns a
// Selection into batches of JSON records (one JSONL line each).
import type { Selection } from '../selection';

export type FormatUnit = 'judgement' | 'example' | 'demonstration' | 'tree';

export type ExportFormat = {
  id: string;
  title: string;
  /** One line for the UI and docs. */
  description: string;
  /** Top-level field names of every record, in output order. */
  fields: string[];
  /** What progress counts: the source rows this writer consumes. */
  unit: FormatUnit;
  /** Also writes edit pairs (edited ≻ raw suggestion): a selection with only those is not empty. */
  editPairs?: boolean;
  /**
   * Batches of records; `progress(n)` after n more source rows were consumed. A batch may
   * instead be a string of ready JSON lines (each ending in "\n") — the hot formats build
   * their lines from pre-escaped pieces, byte-identical to JSON.stringify of the record.
   */
  records(sel: Selection, progress: (n: number) => void): AsyncIterable<unknown[] | string>;
};
