// A checkpoint row's model shape: its modelConfig (registered bases and newer rows), else the
// shape its preset key names (rows from before modelConfig existed).
import { ModelShapeSchema, shapeOfKey, type ModelShape } from '../../shared/model-shape';

export function checkpointShape(row: { preset: string; modelConfig?: unknown }): ModelShape | null {
  const parsed = ModelShapeSchema.safeParse(row.modelConfig);
  return parsed.success ? parsed.data : shapeOfKey(row.preset);
}
