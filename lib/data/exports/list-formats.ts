// Use case: the export formats as DTOs (for GET /api/exports and the research page).
import { FORMATS } from './formats';

export type FormatDto = { id: string; title: string; description: string; fields: string[]; unit: string };

export function listFormats(): FormatDto[] {
  return FORMATS.map(({ id, title, description, fields, unit }) => ({ id, title, description, fields, unit }));
}
