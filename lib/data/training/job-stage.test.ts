// lib/shared/stages.ts and the Prisma enum JobStage name the same stages, in the same order.
import { describe, expect, it } from 'vitest';
import { JobStage as PrismaJobStage } from '../../generated/prisma/enums';
import { JOB_STAGES, ROUND_STAGES, RoundStage } from '../../shared/stages';

describe('job stages', () => {
  it('are the database enum, and a round runs them in order without the standalone SAMPLE and ARENA', () => {
    expect([...JOB_STAGES]).toEqual(Object.values(PrismaJobStage));
    expect([...ROUND_STAGES]).toEqual(JOB_STAGES.filter((s) => s !== 'SAMPLE' && s !== 'ARENA'));
    expect(RoundStage.safeParse('SAMPLE').success).toBe(false);
    expect(RoundStage.safeParse('ARENA').success).toBe(false);
  });
});
