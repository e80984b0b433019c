// The leaderboard: rank (by intervals, as Chatbot Arena ranks), model, rating with its 95%
// bootstrap interval, battles, wins / losses / ties / both bad, win rate (ties count half).
import type { LeaderboardRow } from '@/lib/data/arena/results';
import { CiBar } from './ci-bar';

const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)}%`);

export function LeaderboardTable({ rows }: { rows: LeaderboardRow[] }) {
  if (rows.length === 0) return <p className="muted small">No models in this evaluation.</p>;
  const rated = rows.filter((r) => r.ci95);
  const scale: [number, number] = rated.length
    ? [Math.min(...rated.map((r) => r.ci95![0])), Math.max(...rated.map((r) => r.ci95![1]))]
    : [0, 1];
  return (
    <div className="table-wrap">
      <table className="table" aria-label="Leaderboard">
        <thead>
          <tr>
            <th scope="col" className="num">Rank</th>
            <th scope="col">Model</th>
            <th scope="col" className="num">Rating</th>
            <th scope="col">95% interval</th>
            <th scope="col" className="num">Battles</th>
            <th scope="col" className="num" title="wins · losses · ties · both bad">W · L · T · both bad</th>
            <th scope="col" className="num">Win rate</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.modelId}>
              <td className="num">{r.rank ?? '—'}</td>
              <th scope="row">
                <span className="mono">{r.name}</span> {r.role && <span className="badge badge-muted">{r.role}</span>}
              </th>
              <td className="num mono">{r.rating === null ? 'no votes' : Math.round(r.rating)}</td>
              <td>
                {r.ci95 && r.rating !== null ? (
                  <div className="row" style={{ flexWrap: 'nowrap' }}>
                    <CiBar rating={r.rating} ci={r.ci95} scale={scale} />
                    <span className="small mono nowrap">
                      {Math.round(r.ci95[0])}–{Math.round(r.ci95[1])}
                    </span>
                  </div>
                ) : (
                  <span className="muted small">—</span>
                )}
              </td>
              <td className="num">{r.battles}</td>
              <td className="num mono nowrap">
                {r.wins} · {r.losses} · {r.ties} · {r.bothBad}
              </td>
              <td className="num">{pct(r.winRate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
