// The hone.json a stage writes: which stage made the folder, from what (parent, data) and how
// far it got. Every checkpoint of a run carries the same lineage; the host supplies it (the
// worker: checkpoint ids and the snapshot's hash; the CLI: folders and the data file's hash).
import type { HoneMeta, Stage } from '../checkpoint';

export type Lineage = { preset?: string; parent: string | null; datasetHash: string | null };

export function honeMeta(stage: Stage, lineage: Lineage, step: number, metrics?: Record<string, unknown>, trainerState?: unknown): HoneMeta {
  return { stage, preset: lineage.preset, parent: lineage.parent, datasetHash: lineage.datasetHash, step, metrics, trainerState };
}
