// A synthetic domain for the demo, tests and benchmark: prompts about 179 everyday subjects,
// asked six ways (one subject in five held out as VAL), the answer a careful labeler writes, and the kinds of flawed
// answers an untrained model produces (for the first round's completion sets, before any
// policy exists).
import { mulberry32 } from '../shared/labeling';

const SUBJECTS: [string, string][] = [
  // fruit
  ['an apple', 'a sweet fruit'], ['a lemon', 'a sour fruit'], ['a mango', 'a tropical fruit'],
  ['a pear', 'a soft fruit'], ['a plum', 'a purple fruit'], ['a peach', 'a fuzzy fruit'],
  ['a grape', 'a small fruit'], ['a melon', 'a large fruit'], ['a cherry', 'a red fruit'],
  ['a banana', 'a yellow fruit'], ['an orange', 'a citrus fruit'], ['a lime', 'a green fruit'],
  ['a fig', 'a soft sweet fruit'], ['a kiwi', 'a brown fruit'], ['a coconut', 'a hard nut'],
  ['a berry', 'a tiny fruit'], ['a papaya', 'a tropical fruit'], ['an apricot', 'an orange fruit'],
  // animals
  ['a cat', 'a small pet'], ['a dog', 'a loyal pet'], ['a horse', 'a fast animal'], ['a frog', 'a green animal'],
  ['a cow', 'a farm animal'], ['a pig', 'a pink farm animal'], ['a goat', 'a climbing animal'],
  ['a sheep', 'a woolly animal'], ['a lion', 'a big cat'], ['a tiger', 'a striped cat'],
  ['a bear', 'a large animal'], ['a wolf', 'a wild dog'], ['a fox', 'a clever animal'],
  ['a rabbit', 'a small animal'], ['a mouse', 'a tiny animal'], ['a deer', 'a forest animal'],
  ['a zebra', 'a striped horse'], ['a camel', 'a desert animal'], ['a whale', 'a sea mammal'],
  ['a shark', 'a sea fish'], ['a snake', 'a long reptile'], ['a turtle', 'a slow reptile'],
  ['a monkey', 'a clever primate'], ['a bat', 'a flying mammal'], ['an owl', 'a night bird'],
  ['a duck', 'a water bird'], ['a goose', 'a large bird'], ['a crow', 'a black bird'],
  ['a parrot', 'a talking bird'], ['an eagle', 'a hunting bird'], ['a fish', 'a swimming animal'],
  ['a bird', 'a flying animal'],
  // insects
  ['a bee', 'a busy insect'], ['an ant', 'a tiny insect'], ['a moth', 'a night insect'],
  ['a wasp', 'a stinging insect'], ['a beetle', 'a hard insect'], ['a spider', 'a small hunter'],
  ['a butterfly', 'a bright insect'],
  // nature
  ['the sun', 'a hot star'], ['the moon', 'a rocky moon'], ['a star', 'a far sun'], ['a cloud', 'water in the sky'],
  ['rain', 'falling water'], ['snow', 'cold white ice'], ['ice', 'frozen water'], ['wind', 'moving air'],
  ['a river', 'flowing water'], ['a lake', 'still water'], ['an ocean', 'a vast sea'], ['a hill', 'a low mountain'],
  ['a mountain', 'a high hill'], ['a valley', 'low land'], ['a desert', 'a dry land'], ['a forest', 'many trees'],
  ['a tree', 'a tall plant'], ['a rose', 'a red flower'], ['a tulip', 'a spring flower'], ['grass', 'a green plant'],
  ['a leaf', 'part of a plant'], ['a seed', 'a baby plant'], ['sand', 'tiny rock grains'], ['a rock', 'hard stone'],
  ['a cave', 'a hole in rock'], ['fire', 'hot flames'], ['smoke', 'gray air from fire'], ['thunder', 'a loud sound'],
  ['fog', 'a low cloud'],
  // food and drink
  ['water', 'a clear liquid'], ['milk', 'a white drink'], ['tea', 'a hot drink'], ['coffee', 'a dark drink'],
  ['juice', 'a fruit drink'], ['bread', 'a baked food'], ['rice', 'a small grain'], ['salt', 'a white mineral'],
  ['sugar', 'a sweet powder'], ['honey', 'a sweet syrup'], ['butter', 'a soft fat'], ['cheese', 'a milk food'],
  ['soup', 'a hot food'], ['cake', 'a sweet food'], ['an egg', 'a shelled food'], ['pasta', 'a wheat food'],
  ['corn', 'a yellow grain'], ['a potato', 'a root vegetable'], ['a carrot', 'an orange root'],
  ['a tomato', 'a red fruit'], ['an onion', 'a strong bulb'],
  // materials
  ['gold', 'a yellow metal'], ['iron', 'a hard metal'], ['silver', 'a shiny metal'], ['copper', 'a red metal'],
  ['steel', 'a strong metal'], ['glass', 'a clear solid'], ['wood', 'the stuff of trees'], ['paper', 'thin sheets'],
  ['cotton', 'a soft fiber'], ['wool', 'sheep hair'], ['clay', 'soft earth'], ['plastic', 'a made material'],
  // things people use
  ['a book', 'pages to read'], ['a pen', 'a tool to write'], ['a pencil', 'a tool to draw'],
  ['a clock', 'a tool for time'], ['a lamp', 'a light source'], ['a chair', 'a seat to sit on'],
  ['a table', 'a flat surface'], ['a bed', 'a place to sleep'], ['a door', 'a way in'],
  ['a window', 'glass in a wall'], ['a key', 'a tool for locks'], ['a cup', 'a small vessel'],
  ['a spoon', 'a tool to eat'], ['a knife', 'a tool to cut'], ['a fork', 'a tool to eat'],
  ['a plate', 'a flat dish'], ['a bowl', 'a round dish'], ['a shoe', 'a foot cover'], ['a hat', 'a head cover'],
  ['a coat', 'a warm layer'], ['a bag', 'a thing to carry'], ['a box', 'a container'], ['a rope', 'twisted fiber'],
  ['a hammer', 'a tool to hit'], ['a ladder', 'a tool to climb'], ['a mirror', 'a glass that reflects'],
  ['a bell', 'a ringing tool'], ['a drum', 'a beat instrument'], ['a flute', 'a wind instrument'],
  ['a piano', 'a keyboard instrument'], ['a guitar', 'a string instrument'], ['a phone', 'a talking device'],
  ['a radio', 'a sound device'], ['a camera', 'a picture device'], ['a map', 'a drawing of land'],
  ['a coin', 'small money'], ['a candle', 'a wax light'], ['soap', 'a cleaning bar'], ['a brush', 'a tool to paint'],
  ['a broom', 'a tool to sweep'],
  // vehicles and places
  ['a car', 'a road vehicle'], ['a boat', 'a water vehicle'], ['a bus', 'a big vehicle'],
  ['a train', 'a rail vehicle'], ['a plane', 'a flying vehicle'], ['a bike', 'a pedal vehicle'],
  ['a truck', 'a cargo vehicle'], ['a ship', 'a large boat'], ['a rocket', 'a space vehicle'],
  ['a wagon', 'a pulled cart'], ['a house', 'a place to live'], ['a school', 'a place to learn'],
  ['a farm', 'land for crops'], ['a city', 'a big town'], ['a village', 'a small town'],
  ['a bridge', 'a way over water'], ['a road', 'a way to drive'], ['a park', 'a green place'],
  ['a garden', 'a place for plants'], ['a castle', 'a strong fort'],
];
// The first three are the benchmark's (corpusPrompts(537)); the demo asks all six, so its base
// pretrains on twice the text. Every word besides the subject is one the gold preference does
// not ask the answer to repeat (gold.ts STOP), so the careful answer scores the same for each.
const TEMPLATES = ['What is {s}?', 'Tell me about {s}.', 'Describe {s}.', 'Explain {s}.', 'Please describe {s} in one short sentence.', 'What is {s}? Give one short sentence.'];

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

const BY_LENGTH = [...SUBJECTS].sort((a, b) => b[0].length - a[0].length);

function lookup(prompt: string): { subject: string; fact: string } | null {
  // whole words, longest first: "rice" is not "ice", "a pencil" is not "a pen"
  const p = ` ${prompt.toLowerCase().replace(/[^a-z]+/g, ' ')} `;
  const hit = BY_LENGTH.find(([s]) => p.includes(` ${s} `));
  return hit ? { subject: hit[0], fact: hit[1] } : null;
}

/** What a careful labeler writes for a prompt of this domain. */
export function goldAnswer(prompt: string): string {
  const hit = lookup(prompt);
  if (!hit) return 'I am not sure, but I will keep it short.';
  return `${cap(hit.subject)} is ${hit.fact}.`;
}

/**
 * What a hurried labeler writes: the careful answer without its final period, or trailing off
 * ("..."). Writing is harder than judging: the same people rank such answers below careful ones.
 */
export function hurriedAnswer(prompt: string, rand: () => number): string {
  const a = goldAnswer(prompt).replace(/\.$/, '');
  return rand() < 0.5 ? a : `${a}...`;
}

/** K answers of mixed quality, as an untrained model might write them (seeded). */
export function flawedCompletions(prompt: string, k: number, seed: number): string[] {
  const rand = mulberry32(seed);
  const hit = lookup(prompt) ?? { subject: 'it', fact: 'a thing' };
  // another subject's answer; never the prompt's own (the set would repeat a completion, which an import refuses)
  const o = Math.floor(rand() * SUBJECTS.length);
  const other = SUBJECTS[o][0] === hit.subject ? SUBJECTS[(o + 1) % SUBJECTS.length] : SUBJECTS[o];
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
