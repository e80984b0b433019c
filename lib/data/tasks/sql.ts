// SQL fragments shared by the task use cases. Timestamps are stored as UTC `timestamp(3)`.
import { Prisma } from '../../db';

export const NOW = Prisma.sql`(now() AT TIME ZONE 'UTC')`;
