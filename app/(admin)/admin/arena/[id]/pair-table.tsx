// Win rates per pair: how often the first model beat the second, ties (and both-bad ties)
// counted half, with the raw counts beside it.
import type { PairRow } from '@/lib/data/arena/results';

export function PairTable({ pairs }: { pairs: PairRow[] }) {
  if (pairs.length === 0) return <p className="muted small">No votes yet.</p>;
  return (
    <div className="table-wrap">
      <table className="table" aria-label="Win rates per pair">
        <thead>
          <tr>
            <th scope="col">Model A</th>
            <th scope="col">Model B</th>
            <th scope="col" className="num">Votes</th>
            <th scope="col" className="num">A wins</th>
            <th scope="col" className="num">B wins</th>
            <th scope="col" className="num">Ties</th>
            <th scope="col" className="num">Both bad</th>
            <th scope="col" className="num">A’s win rate</th>
          </tr>
        </thead>
        <tbody>
          {pairs.map((p) => (
            <tr key={`${p.modelA}|${p.modelB}`}>
              <td className="mono">{p.modelA}</td>
              <td className="mono">{p.modelB}</td>
              <td className="num">{p.battles}</td>
              <td className="num">{p.winsA}</td>
              <td className="num">{p.winsB}</td>
              <td className="num">{p.ties}</td>
              <td className="num">{p.bothBad}</td>
              <td className="num">{Math.round(p.winRateA * 100)}%</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
