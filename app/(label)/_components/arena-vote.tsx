'use client';
// Arena vote: one prompt and two replies by two models, labelled only "A" (left) and "B"
// (right) — the page never knows which model wrote which, and the sides were shuffled for this
// labeler by the server. Answer A is better, B is better, tie, or both bad: by button or key
// (A/1, B/2, T/3, X/4; the keys also work from the answer buttons), then Ctrl/⌘+Enter submits.
import { useMemo, useState } from 'react';
import type { TaskView } from '@/lib/data/tasks/get-task-view';
import type { ArenaVoteName } from '@/lib/shared/labeling';
import { LongText } from '@/app/_components/markdown';
import { TaskShell, type Guidelines } from './task-shell';
import styles from './label.module.css';
import arena from './arena.module.css';

type ArenaDraft = { kind: 'ARENA'; vote: ArenaVoteName | null };

const CHOICES: { vote: ArenaVoteName; label: string; keys: [string, string] }[] = [
  { vote: 'left', label: 'A is better', keys: ['A', '1'] },
  { vote: 'right', label: 'B is better', keys: ['B', '2'] },
  { vote: 'tie', label: 'Tie', keys: ['T', '3'] },
  { vote: 'both_bad', label: 'Both are bad', keys: ['X', '4'] },
];
const SHORTCUTS = CHOICES.flatMap((c) => c.keys.map((k) => k.toLowerCase())).join(' ');

function Reply({ letter, text, picked }: { letter: string; text: string; picked: boolean }) {
  return (
    <section className={`card stack-sm ${arena.side}`} data-picked={picked} aria-labelledby={`reply-${letter}`} data-testid={`reply-${letter}`}>
      <h2 id={`reply-${letter}`} className="card-title row">
        <span className={arena.letter}>{letter}</span> Reply {letter}
      </h2>
      {text.trim() ? <LongText text={text} chars={4000} lines={40} /> : <p className={`muted ${arena.empty}`}>(an empty reply)</p>}
    </section>
  );
}

export function ArenaVoteTask({ view, guidelines }: { view: TaskView; guidelines: Guidelines }) {
  const a = view.arena!;
  const saved = view.draft as Partial<ArenaDraft> | null;
  const [vote, setVote] = useState<ArenaVoteName | null>(CHOICES.some((c) => c.vote === saved?.vote) ? saved!.vote! : null);
  const [notice, setNotice] = useState<string | null>(null);
  const draft = useMemo<ArenaDraft>(() => ({ kind: 'ARENA', vote }), [vote]);

  const choose = (v: ArenaVoteName) => {
    setVote(v);
    setNotice(`${CHOICES.find((c) => c.vote === v)!.label}: press Ctrl+Enter to submit.`);
  };
  const build = () => (vote ? { body: { vote } } : { error: 'Choose an answer first: A is better (A), B is better (B), tie (T) or both are bad (X).', field: 'vote-left' });
  const keys = Object.fromEntries(CHOICES.flatMap((c) => c.keys.map((k) => [k.toLowerCase(), () => choose(c.vote)])));

  return (
    <TaskShell
      view={view}
      guidelines={guidelines}
      draft={draft}
      build={build}
      notice={notice}
      keys={keys}
      keyHelp={CHOICES.map((c) => [`${c.keys[0]} or ${c.keys[1]}`, c.label])}
    >
      <section className="card stack-sm" aria-labelledby="arena-prompt-h">
        <h2 id="arena-prompt-h" className="card-title">
          Prompt
        </h2>
        <LongText text={view.prompt?.text ?? ''} className={styles.prompt} />
        <p className="muted small">Two assistants answered this prompt. Which reply is better? You are not told who wrote which.</p>
      </section>
      <div className={arena.replies}>
        <Reply letter="A" text={a.left.text} picked={vote === 'left'} />
        <Reply letter="B" text={a.right.text} picked={vote === 'right'} />
      </div>
      <section className="card stack-sm" aria-labelledby="arena-vote-h">
        <h2 id="arena-vote-h" className="card-title">
          Your answer
        </h2>
        <div className={arena.votes} role="group" aria-labelledby="arena-vote-h" data-shortcuts={SHORTCUTS}>
          {CHOICES.map((c) => (
            <button key={c.vote} id={`vote-${c.vote}`} type="button" className="btn" aria-pressed={vote === c.vote} onClick={() => choose(c.vote)}>
              {c.label} <kbd>{c.keys[0]}</kbd>
            </button>
          ))}
        </div>
      </section>
    </TaskShell>
  );
}
