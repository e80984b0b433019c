// Export jobs: the file is written under a temp name, renamed, and the manifest comes last;
// a job that fails leaves no file that looks complete.
import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../db';
import { closeExportPools, exportPool } from './cursor';
import { exportPaths, exportRoot } from './export-files';
import { runExportJob } from './run-export-job';
import { seedExportDataset } from './test-dataset';
import { openExportFile } from './open-export-file';

let projectId = '';
let userId = '';

beforeAll(async () => {
  ({ projectId, users: { alice: userId } } = await seedExportDataset(exportPool(), 'rj'));
});
afterAll(async () => {
  await closeExportPools();
  await prisma.$disconnect();
});

describe('runExportJob', () => {
  it('freezes a snapshot, writes the file, then the manifest, and serves it to its owner', async () => {
    const job = await prisma.exportJob.create({ data: { userId, format: 'pairwise', gzip: false, filter: { projectId } } });
    const progress: number[] = [];
    const result = (await runExportJob(job.id, (f) => void progress.push(f)))!;
    const paths = exportPaths(job.id, false);
    const bytes = readFileSync(paths.file);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(result.sha256);
    expect(bytes.toString().trimEnd().split('\n').length).toBe(45); // 44 ranking pairs and the fixture dialogue's one edit pair (edited ≻ raw suggestion)
    const manifest = JSON.parse(readFileSync(paths.manifest, 'utf8'));
    expect(manifest).toMatchObject({ export_job_id: job.id, format: 'pairwise', rows: 45, sha256: result.sha256, bytes: bytes.length });
    expect(manifest.snapshot.counts.judgements).toBe(8);
    expect(manifest.snapshot.checkpoint_ids).toEqual(['rj-ckpt1']);
    expect(readdirSync(exportRoot()).filter((f) => f.endsWith('.partial'))).toEqual([]);
    const row = await prisma.exportJob.findUniqueOrThrow({ where: { id: job.id } });
    expect(row).toMatchObject({ status: 'SUCCEEDED', progress: 1, rows: 45, sha256: result.sha256 });
    expect(row.snapshotId).not.toBeNull();
    expect(progress.at(-1)).toBe(1);

    const file = await openExportFile({ id: userId, role: 'RESEARCHER' }, job.id);
    expect(file.size).toBe(bytes.length);
    await expect(openExportFile({ id: 'rj-bob', role: 'RESEARCHER' }, job.id)).rejects.toThrow(/does not exist/);
    expect((await openExportFile({ id: 'someone', role: 'ADMIN' }, job.id)).size).toBe(bytes.length);
  });

  it('a job that fails midway leaves neither the file nor a manifest', async () => {
    const job = await prisma.exportJob.create({ data: { userId, format: 'judgements', gzip: true, filter: { projectId } } });
    const paths = exportPaths(job.id, true);
    // Something already sits where the finished file must go: the final rename fails.
    mkdirSync(paths.file, { recursive: true });
    writeFileSync(`${paths.file}/blocker`, 'x');
    await expect(runExportJob(job.id)).rejects.toThrow();
    expect(existsSync(paths.partial)).toBe(false);
    expect(existsSync(paths.manifest)).toBe(false);
    expect(existsSync(paths.manifestPartial)).toBe(false);
    const row = await prisma.exportJob.findUniqueOrThrow({ where: { id: job.id } });
    expect(row.status).toBe('FAILED');
    expect(row.uri).toBeNull();
    expect(row.error).toBeTruthy();
    await expect(openExportFile({ id: userId, role: 'RESEARCHER' }, job.id)).rejects.toThrow(/failed/);
  });

  it('an unknown format fails the job with a readable error', async () => {
    const job = await prisma.exportJob.create({ data: { userId, format: 'xml', filter: { projectId } } });
    await expect(runExportJob(job.id)).rejects.toThrow(/Unknown export format "xml"/);
    expect((await prisma.exportJob.findUniqueOrThrow({ where: { id: job.id } })).error).toMatch(/Unknown export format/);
  });
});
