// A small synthetic domain for the demo, tests and benchmark: prompts about everyday subjects
// (one in five held out as VAL), the answer a careful labeler writes, and the kinds of flawed
// answers an untrained model produces (for the first round's completion sets, before any
// policy exists).
import { mulberry32 } from '../shared/labeling';

const SUBJECTS: [string, string][] = [
  ['the sun', 'a hot star'], ['the moon', 'a rocky moon'], ['a cat', 'a small pet'], ['a dog', 'a loyal pet'], ['water', 'a clear liquid'],
  ['ice', 'frozen water'], ['a tree', 'a tall plant'], ['a rose', 'a red flower'], ['bread', 'a baked food'], ['milk', 'a white drink'],
  ['a car', 'a road vehicle'], ['a boat', 'a water vehicle'], ['rain', 'falling water'], ['snow', 'cold white ice'], ['a book', 'pages to read'],
  ['a pen', 'a tool to write'], ['salt', 'a white mineral'], ['gold', 'a yellow metal'], ['iron', 'a hard metal'], ['an apple', 'a sweet fruit'],
  ['a lemon', 'a sour fruit'], ['a bee', 'a busy insect'], ['a fish', 'a swimming animal'], ['a bird', 'a flying animal'], ['a cloud', 'water in the sky'],
  ['a river', 'flowing water'], ['a hill', 'a low mountain'], ['sand', 'tiny rock grains'], ['a clock', 'a tool for time'], ['a lamp', 'a light source'],
  ['a chair', 'a seat to sit on'], ['tea', 'a hot drink'], ['rice', 'a small grain'], ['wind', 'moving air'], ['a shoe', 'a foot cover'],
  ['a bell', 'a ringing tool'], ['a star', 'a far sun'], ['a horse', 'a fast animal'], ['a frog', 'a green animal'], ['soap', 'a cleaning bar'],
];
const TEMPLATES = ['What is {s}?', 'Tell me about {s}.', 'Describe {s}.'];

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export type CorpusPrompt = { text: string; split: 'train' | 'val'; subject: string; fact: string };

/** Every prompt of the domain; one subject in five is held out (VAL) with all its templates. */
export function corpusPrompts(limit?: number): CorpusPrompt[] {
  const out: CorpusPrompt[] = [];
  SUBJECTS.forEach(([subject, fact], i) => {
    for (const t of TEMPLATES) out.push({ text: t.replace('{s}', subject), split: i % 5 === 4 ? 'val' : 'train', subject, fact });
  });
  // interleave so a prefix still holds every template and some held-out subjects
  const ordered = TEMPLATES.flatMap((_, ti) => out.filter((_, k) => k % TEMPLATES.length === ti));
  return limit ? ordered.slice(0, limit) : ordered;
}

function lookup(prompt: string): { subject: string; fact: string } | null {
  const p = prompt.toLowerCase();
  const hit = SUBJECTS.find(([s]) => p.includes(s));
  return hit ? { subject: hit[0], fact: hit[1] } : null;
}

/** What a careful labeler writes for a prompt of this domain. */
export function goldAnswer(prompt: string): string {
  const hit = lookup(prompt);
  if (!hit) return 'I am not sure, but I will keep it short.';
  return `${cap(hit.subject)} is ${hit.fact}.`;
}

/** K answers of mixed quality, as an untrained model might write them (seeded). */
export function flawedCompletions(prompt: string, k: number, seed: number): string[] {
  const rand = mulberry32(seed);
  const hit = lookup(prompt) ?? { subject: 'it', fact: 'a thing' };
  const other = SUBJECTS[Math.floor(rand() * SUBJECTS.length)];
  const pool = [
    `${cap(hit.subject)} is ${hit.fact}.`,
    `${cap(hit.subject)} is ${hit.fact}`,
    `${cap(hit.subject)} is ${hit.fact} and it is also very nice and quite big and good in many ways.`,
    `${cap(other[0])} is ${other[1]}.`,
    `${cap(hit.subject)}.`,
    `It is ${hit.fact}.`,
    `${cap(hit.subject)} is is is ${hit.fact}...`,
    `Well, ${hit.subject} is ${hit.fact}, I think.`,
    `Yes.`,
  ];
  const out: string[] = [];
  const idx = pool.map((_, i) => i);
  for (let i = idx.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  for (let i = 0; i < k; i++) out.push(pool[idx[i % pool.length]]);
  return out;
}
