// A rating's 95% interval drawn on the leaderboard's common scale [lo, hi]; the text beside it
// carries the numbers (the bar is decoration for sighted readers).
import styles from './arena.module.css';

export function CiBar({ rating, ci, scale }: { rating: number; ci: [number, number]; scale: [number, number] }) {
  const span = scale[1] - scale[0] || 1;
  const at = (v: number) => `${(((v - scale[0]) / span) * 100).toFixed(2)}%`;
  return (
    <div className={styles.ciTrack} aria-hidden="true">
      <div className={styles.ciBar} style={{ left: at(ci[0]), width: `calc(${at(ci[1])} - ${at(ci[0])})` }} />
      <div className={styles.ciDot} style={{ left: at(rating) }} />
    </div>
  );
}
