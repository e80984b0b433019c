// Writes OUT/summary.json from the run logs in OUT (scripts/device/summary.ts) and prints its
// headline as one JSON line, the last line of a device run:
//
//   node summarize.mjs OUT [NAME=STATUS …]      (run-bench.sh passes each run's exit status)
import fs from 'node:fs';
import path from 'node:path';
import { headline, summarize } from './summary';

const [out, ...statusArgs] = process.argv.slice(2);
if (!out || !fs.existsSync(out)) {
  console.error(`usage: summarize OUT [NAME=STATUS …]; OUT ${out ? `${JSON.stringify(out)} does not exist` : 'missing'}`);
  process.exit(2);
}
const status: Record<string, number> = {};
for (const a of statusArgs) {
  const m = /^([\w-]+)=(\d+)$/.exec(a);
  if (!m) {
    console.error(`summarize: expected NAME=STATUS, got ${JSON.stringify(a)}`);
    process.exit(2);
  }
  status[m[1]] = Number(m[2]);
}
const logs: Record<string, string> = {};
for (const f of fs.readdirSync(out).filter((f) => f.endsWith('.log')).sort()) logs[f.slice(0, -'.log'.length)] = fs.readFileSync(path.join(out, f), 'utf8');
const summary = summarize(logs, status);
fs.writeFileSync(path.join(out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
console.log(JSON.stringify(headline(summary)));
