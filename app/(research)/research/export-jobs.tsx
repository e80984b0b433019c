'use client';
// The viewer's export jobs with live progress (polls while any is queued or running).
import { useEffect, useState } from 'react';
import { formatBytes } from './filter-query';

export type JobView = { id: string; format: string; gzip: boolean; status: string; progress: number; rows: number; bytes: number; sha256: string | null; error: string | null; createdAt: string; fileUrl: string | null };

export function ExportJobs({ initial }: { initial: JobView[] }) {
  const [jobs, setJobs] = useState(initial);
  useEffect(() => setJobs(initial), [initial]);
  const active = jobs.some((j) => j.status === 'QUEUED' || j.status === 'RUNNING');
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(async () => {
      const next = await Promise.all(
        jobs.map(async (j) => {
          if (j.status !== 'QUEUED' && j.status !== 'RUNNING') return j;
          const res = await fetch(`/api/export-jobs/${j.id}`);
          return res.ok ? ((await res.json()) as { job: JobView }).job : j;
        }),
      );
      setJobs(next);
    }, 1000);
    return () => clearInterval(timer);
  }, [active, jobs]);

  if (!jobs.length) return <p className="muted">No export jobs yet. Large exports run best as jobs: the file waits for you on the server.</p>;
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Job</th>
            <th scope="col">Format</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">Rows</th>
            <th scope="col" className="num">Size</th>
            <th scope="col">sha256</th>
            <th scope="col">File</th>
          </tr>
        </thead>
        <tbody>
          {jobs.map((j) => (
            <tr key={j.id}>
              <th scope="row" className="mono small">
                {j.id.slice(0, 10)}
              </th>
              <td>
                {j.format}
                {j.gzip && ' (gzip)'}
              </td>
              <td>
                {j.status === 'RUNNING' ? (
                  <span>
                    <progress value={j.progress} max={1} aria-label={`Job ${j.id} progress`} /> {Math.round(j.progress * 100)}%
                  </span>
                ) : j.status === 'FAILED' ? (
                  <span className="badge badge-danger" title={j.error ?? ''}>
                    Failed: {j.error}
                  </span>
                ) : j.status === 'SUCCEEDED' ? (
                  <span className="badge badge-success">Done</span>
                ) : (
                  <span className="badge badge-muted">{j.status.toLowerCase()}</span>
                )}
              </td>
              <td className="num">{j.rows.toLocaleString()}</td>
              <td className="num">{j.bytes ? formatBytes(j.bytes) : '—'}</td>
              <td className="mono small">{j.sha256 ? `${j.sha256.slice(0, 12)}…` : '—'}</td>
              <td>{j.fileUrl ? <a href={j.fileUrl}>Download</a> : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
