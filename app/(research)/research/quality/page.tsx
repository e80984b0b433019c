// Quality dashboard: agreement between labelers (Kendall τ-b per set, Krippendorff's α per
// project), each labeler's agreement with the leave-one-out consensus and with gold orders
// (accuracy, τ-b, the flag and the admin's exclusion: gold-labelers.tsx), and position and
// length bias. Metric definitions are on the page and in docs/researchers.md (Quality).
import type { Metadata } from 'next';
import Link from 'next/link';
import { requirePageUser } from '@/lib/auth/current-user';
import { listProjects } from '@/lib/data/projects/list-projects';
import { projectQuality } from '@/lib/data/quality/project-quality';
import { plainPreview } from '@/app/_components/plain-preview';
import { ProjectPicker } from '../project-picker';
import { BarChart, Histogram } from './charts';
import { GoldLabelers } from './gold-labelers';

export const metadata: Metadata = { title: 'Quality' };

const fmt = (v: number | null, digits = 2) => (v === null ? '—' : v.toFixed(digits));
const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)}%`);

export default async function QualityPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requirePageUser('RESEARCHER');
  const sp = await searchParams;
  const projects = await listProjects({ includeArchived: true });
  const project = projects.find((p) => p.id === sp.projectId) ?? projects[0];
  if (!project) {
    return (
      <div className="stack-lg">
        <h1>Quality</h1>
        <p className="muted">There are no projects yet.</p>
      </div>
    );
  }
  const q = await projectQuality(project.id);
  return (
    <div className="stack-lg">
      <div className="page-header">
        <h1>Quality</h1>
        <div className="row">
          <Link className="btn btn-sm" href={`/research?projectId=${project.id}`}>
            Export this project
          </Link>
          {user.role === 'ADMIN' && (
            <Link className="btn btn-sm btn-ghost" href={`/admin/gold?projectId=${project.id}`}>
              Mark gold sets
            </Link>
          )}
        </div>
      </div>
      <ProjectPicker projects={projects.map((p) => ({ id: p.id, name: p.name }))} current={project.id} />

      {q.judgements === 0 ? (
        <div className="alert alert-info" role="status">
          No judgements in {q.project.name} yet: metrics appear once labelers rank sets (agreement needs at least two labelers on one set).
        </div>
      ) : (
        <>
          <div className="grid-3">
            <div className="card">
              <h2 className="card-title">Krippendorff&apos;s α (ordinal)</h2>
              <p style={{ fontSize: '2rem', margin: 0 }} data-testid="alpha">
                {fmt(q.alpha, 3)}
              </p>
              <p className="muted small">
                over {q.alphaUnits.toLocaleString()} completions ranked by ≥ 2 labelers · 1 = perfect, 0 = chance
              </p>
            </div>
            <div className="card">
              <h2 className="card-title">Mean Kendall τ-b</h2>
              <p style={{ fontSize: '2rem', margin: 0 }}>{fmt(q.meanTauB)}</p>
              <p className="muted small">
                between labeler pairs on {q.setsWithOverlap.toLocaleString()} of {q.sets.toLocaleString()} sets with overlap
              </p>
            </div>
            <div className="card">
              <h2 className="card-title">Biases (all labelers)</h2>
              <p style={{ margin: 0 }}>
                First-shown wins {pct(q.firstShownWins)} <span className="muted">(chance {pct(q.firstShownExpected)})</span>
              </p>
              <p style={{ margin: 0 }}>
                Longer wins {pct(q.longerWins)} <span className="muted">(no bias 50%)</span>
              </p>
              <p className="muted small">
                {q.judgements.toLocaleString()} judgements · {q.goldSets} gold sets
              </p>
            </div>
          </div>

          <section className="card" aria-labelledby="hist-title">
            <h2 id="hist-title" className="card-title">
              Agreement between labelers on the same set
            </h2>
            <Histogram bins={q.tauHistogram} title="Kendall τ-b between pairs of labelers" desc={`Histogram of τ-b over every pair of labelers who ranked the same set; mean ${fmt(q.meanTauB)}.`} />
          </section>

          <div className="grid-2">
            <section className="card" aria-labelledby="loo-title">
              <h2 id="loo-title" className="card-title">
                Agreement with the others (leave-one-out)
              </h2>
              <BarChart bars={q.labelers.map((l) => ({ label: l.name, value: l.looAgreement }))} min={-1} max={1} reference={0} title="Leave-one-out agreement" desc="Mean τ-b between each labeler and the Copeland consensus of the other labelers of the same sets." />
            </section>
            <section className="card" aria-labelledby="gold-title">
              <h2 id="gold-title" className="card-title">
                Agreement with gold
              </h2>
              <BarChart bars={q.labelers.map((l) => ({ label: l.name, value: l.goldAgreement }))} min={-1} max={1} reference={0} title="Gold agreement" desc="Mean τ-b between each labeler and the admin-marked true order of gold sets." />
            </section>
            <section className="card" aria-labelledby="pos-title">
              <h2 id="pos-title" className="card-title">
                Position bias: first-shown completion wins
              </h2>
              <BarChart
                bars={q.labelers.map((l) => ({ label: l.name, value: l.firstShownWins === null ? null : l.firstShownWins - (l.firstShownExpected ?? 0) }))}
                min={-1}
                max={1}
                reference={0}
                format={(v) => `${v >= 0 ? '+' : ''}${Math.round(v * 100)}pt`}
                title="Position bias"
                desc="How much more often than chance the first-displayed completion lands in the labeler's top tier."
              />
            </section>
            <section className="card" aria-labelledby="len-title">
              <h2 id="len-title" className="card-title">
                Length bias: longer completion preferred
              </h2>
              <BarChart bars={q.labelers.map((l) => ({ label: l.name, value: l.longerWins }))} min={0} max={1} reference={0.5} format={(v) => `${Math.round(v * 100)}%`} title="Length bias" desc="Share of strict preferences won by the longer completion; 50% means no length bias." />
            </section>
          </div>

          <GoldLabelers q={q} isAdmin={user.role === 'ADMIN'} />

          <section aria-labelledby="labelers-title" className="stack-sm">
            <h2 id="labelers-title">Labelers</h2>
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Labeler</th>
                    <th scope="col" className="num">Judgements</th>
                    <th scope="col" className="num">LOO τ-b</th>
                    <th scope="col" className="num">Gold τ-b</th>
                    <th scope="col" className="num">First-shown wins</th>
                    <th scope="col" className="num">Longer wins</th>
                    <th scope="col" className="num">Mean time</th>
                  </tr>
                </thead>
                <tbody>
                  {q.labelers.map((l) => (
                    <tr key={l.userId}>
                      <th scope="row">{l.name}</th>
                      <td className="num">{l.judgements}</td>
                      <td className="num">
                        {fmt(l.looAgreement)} <span className="muted small">({l.looSets})</span>
                      </td>
                      <td className="num">
                        {fmt(l.goldAgreement)} <span className="muted small">({l.goldSets})</span>
                      </td>
                      <td className="num">
                        {pct(l.firstShownWins)} <span className="muted small">/ {pct(l.firstShownExpected)}</span>
                      </td>
                      <td className="num">
                        {pct(l.longerWins)} <span className="muted small">({l.lengthPairs})</span>
                      </td>
                      <td className="num">{l.meanTimeMs === null ? '—' : `${(l.meanTimeMs / 1000).toFixed(1)} s`}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>

          <section aria-labelledby="lowest-title" className="stack-sm">
            <h2 id="lowest-title">Sets with the lowest agreement</h2>
            {q.lowestAgreement.length === 0 ? (
              <p className="muted">No set has two labelers yet.</p>
            ) : (
              <div className="table-wrap">
                <table className="table">
                  <thead>
                    <tr>
                      <th scope="col">Prompt</th>
                      <th scope="col" className="num">Judgements</th>
                      <th scope="col" className="num">Mean τ-b</th>
                    </tr>
                  </thead>
                  <tbody>
                    {q.lowestAgreement.map((s) => (
                      <tr key={s.setId}>
                        <th scope="row">
                          <Link href={`/research/quality/sets/${s.setId}`}>{plainPreview(s.prompt)}</Link>
                        </th>
                        <td className="num">{s.judgements}</td>
                        <td className="num">{fmt(s.meanTauB)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        </>
      )}

      <details className="card card-muted">
        <summary>How these are computed</summary>
        <ul className="small">
          <li>
            <strong>Kendall τ-b</strong> between two rankings of one set, ties allowed: (concordant − discordant) / √((pairs − ties in A)(pairs − ties in B)). Undefined when one ranking ties everything.
          </li>
          <li>
            <strong>Krippendorff&apos;s α, ordinal</strong>: units are (set, completion); each labeler&apos;s value is the completion&apos;s fractional rank in their ranking (tied completions share the mean position). Ordinal because ranks are ordered but not evenly spaced; α also handles labelers who saw different sets.
          </li>
          <li>
            <strong>Leave-one-out agreement</strong>: τ-b between a labeler&apos;s ranking and the Copeland consensus (pairwise majority) of the other labelers of that set, averaged over sets.
          </li>
          <li>
            <strong>Gold accuracy</strong>: over every gold set a labeler ranked, the share of pairs the gold order does not tie that the labeler ordered the same way (a tie by the labeler counts as wrong). <strong>Gold τ-b</strong>: mean τ-b with the gold orders.
          </li>
          <li>
            <strong>Position bias</strong>: share of judgements whose first-displayed completion is in the top tier, against chance (size of the top tier / K). <strong>Length bias</strong>: share of strict preferences won by the longer completion.
          </li>
        </ul>
      </details>
    </div>
  );
}
