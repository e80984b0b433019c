// A small, fully determined dataset for the export tests (golden files, hash stability):
// fixed ids (all starting with `prefix`) and fixed timestamps. Three labelers rank three
// sets (one imported with a gold order, one sampled by a round's checkpoint, one continuing
// a dialogue), plus demonstrations, a dialogue with a suggestion, its edit and a branch, and a
// dialogue with no prompt. Ties, "all bad", flags and Likert all appear.
import type pg from 'pg';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

export async function seedExportDataset(db: pg.Pool | pg.Client, prefix: string): Promise<{ projectId: string; roundId: string; users: Record<'alice' | 'bob' | 'carol', string>; sets: string[] }> {
  const id = (s: string) => `${prefix}-${s}`;
  const q = (text: string, values: unknown[]) => db.query(text, values);
  for (const [i, name] of ['alice', 'bob', 'carol'].entries()) {
    await q(`INSERT INTO "User" (id, name, email, role, "createdAt", "updatedAt") VALUES ($1, $2, $3, 'LABELER', $4, $4)`, [id(name), name, `${id(name)}@example.test`, at(i)]);
  }
  const projectId = id('proj');
  await q(`INSERT INTO "Project" (id, slug, name, k, overlap, "createdAt", "updatedAt") VALUES ($1, $1, 'Export fixture', 4, 3, $2, $2)`, [projectId, at(0)]);
  const roundId = id('round1');
  await q(`INSERT INTO "TrainingRound" (id, "projectId", number, preset, config, stages, "createdAt") VALUES ($1, $2, 1, 'tiny', '{}', '{sft,rm,ppo}', $3)`, [roundId, projectId, at(1)]);
  await q(`INSERT INTO "Checkpoint" (id, "projectId", kind, name, preset, "roundId", uri, "createdAt") VALUES ($1, $2, 'POLICY', 'policy-r1', 'tiny', $3, 'var/x', $4)`, [id('ckpt1'), projectId, roundId, at(2)]);

  const prompts: [string, string, string][] = [
    ['p1', 'What is the capital of France?', 'TRAIN'],
    ['p2', 'Write a haiku about rain.', 'VAL'],
    ['p3', 'Help me plan a trip.', 'TRAIN'],
  ];
  for (const [i, [pid, text, split]] of prompts.entries()) {
    await q(`INSERT INTO "Prompt" (id, "projectId", text, "textHash", split, "createdAt") VALUES ($1, $2, $3, $1, $4::"Split", $5)`, [id(pid), projectId, text, split, at(3 + i)]);
  }

  // A dialogue on p3 (carol): a model suggestion m2, its edit m2e, then a branch at the end.
  const conv = id('c1');
  await q(`INSERT INTO "Conversation" (id, "projectId", "promptId", "userId", "guidelineVersion", submitted, "timeMs", "createdAt", "updatedAt") VALUES ($1, $2, $3, $4, 1, true, 90000, $5, $5)`, [conv, projectId, id('p3'), id('carol'), at(10)]);
  const msgs: [string, string | null, 'USER' | 'ASSISTANT', string, { sugg?: boolean; edit?: string; ckpt?: boolean }][] = [
    ['m1', null, 'USER', 'Help me plan a trip.', {}],
    ['m2', 'm1', 'ASSISTANT', 'Where would you like to go?', { sugg: true, ckpt: true }],
    ['m2e', 'm1', 'ASSISTANT', 'Where to, and for how long?', { edit: 'm2' }],
    ['m3', 'm2e', 'USER', 'Lisbon, 3 days.', {}],
    ['m4', 'm3', 'ASSISTANT', 'Day 1: Alfama and the castle. Day 2: Belém. Day 3: Sintra.', {}],
    ['m4b', 'm3', 'ASSISTANT', 'Start at Belém, then take the tram up to Alfama.', {}],
  ];
  for (const [i, [mid, parent, role, text, o]] of msgs.entries()) {
    await q(
      `INSERT INTO "Message" (id, "projectId", "conversationId", "parentId", role, text, "authorUserId", "authorCheckpointId", "editedFromId", "isSuggestion", "createdAt")
       VALUES ($1, $2, $3, $4, $5::"MessageRole", $6, $7, $8, $9, $10, $11)`,
      [id(mid), projectId, conv, parent && id(parent), role, text, o.ckpt ? null : id('carol'), o.ckpt ? id('ckpt1') : null, o.edit ? id(o.edit) : null, o.sugg ?? false, at(11 + i)],
    );
  }
  // Carol submitted the older ending (m4) as her main branch: SFT exports follow it unless branches=all.
  await q(`UPDATE "Conversation" SET "leafMessageId" = $1 WHERE id = $2`, [id('m4'), conv]);
  // A dialogue with no prompt (bob).
  await q(`INSERT INTO "Conversation" (id, "projectId", "userId", "guidelineVersion", submitted, "timeMs", "createdAt", "updatedAt") VALUES ($1, $2, $3, 2, true, 30000, $4, $4)`, [id('c2'), projectId, id('bob'), at(20)]);
  await q(`INSERT INTO "Message" (id, "projectId", "conversationId", role, text, "authorUserId", "createdAt") VALUES ($1, $2, $3, 'USER', 'Tell me a joke.', $4, $5)`, [id('n1'), projectId, id('c2'), id('bob'), at(21)]);
  await q(`INSERT INTO "Message" (id, "projectId", "conversationId", "parentId", role, text, "authorUserId", "createdAt") VALUES ($1, $2, $3, $4, 'ASSISTANT', 'Why did the scarecrow win an award? He was outstanding in his field.', $5, $6)`, [id('n2'), projectId, id('c2'), id('n1'), id('bob'), at(22)]);

  const sets: { sid: string; prompt: string; ckpt: boolean; gold?: number[][]; context?: string; texts: string[] }[] = [
    { sid: 's1', prompt: 'p1', ckpt: true, texts: ['Paris.', 'The capital of France is Paris.', 'Lyon.', 'I am not sure.'] },
    { sid: 's2', prompt: 'p2', ckpt: false, gold: [[1], [0], [2, 3]], texts: ['Rain taps the window', 'Soft rain on tin roofs / the gutters hum their one song / night drinks the grey sky', 'Rain is wet.', 'Haiku: rain rain rain'] },
    { sid: 's3', prompt: 'p3', ckpt: true, context: 'm3', texts: ['Day 1: Baixa. Day 2: Sintra. Day 3: Cascais.', 'Go to Porto instead.', 'Day 1: Alfama. Day 2: Belém. Day 3: Sintra, with "pastéis" breaks.', 'Lisbon is in Portugal.'] },
  ];
  for (const [i, s] of sets.entries()) {
    await q(
      `INSERT INTO "CompletionSet" (id, "projectId", "promptId", "conversationId", "contextMessageId", "checkpointId", "roundId", "sourceModel", "displaySeed", "goldTiers", "createdAt")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [id(s.sid), projectId, id(s.prompt), s.context ? conv : null, s.context ? id(s.context) : null, s.ckpt ? id('ckpt1') : null, s.ckpt ? roundId : null, s.ckpt ? 'policy-r1' : 'gpt2', 7 + i, s.gold ? JSON.stringify(s.gold) : null, at(30 + i)],
    );
    for (const [k, text] of s.texts.entries()) {
      await q(`INSERT INTO "Completion" (id, "setId", index, text, "createdAt") VALUES ($1, $2, $3, $4, $5)`, [id(`${s.sid}-c${k}`), id(s.sid), k, text, at(30 + i)]);
    }
    await q(`INSERT INTO "Task" (id, "projectId", kind, status, "promptId", "completionSetId", wanted, "createdAt", "updatedAt") VALUES ($1, $2, 'RANKING', 'OPEN', $3, $4, 3, $5, $5)`, [id(`t-${s.sid}`), projectId, id(s.prompt), id(s.sid), at(30 + i)]);
  }

  type J = { set: string; user: 'alice' | 'bob' | 'carol'; tiers: number[][]; allBad?: boolean; flags?: Record<string, string[]>; likert?: number; comment?: string; order: number[]; ms: number; gv: number };
  const js: J[] = [
    { set: 's1', user: 'alice', tiers: [[0], [1], [2], [3]], order: [2, 0, 3, 1], likert: 6, ms: 21000, gv: 1 },
    { set: 's1', user: 'bob', tiers: [[0], [2], [1], [3]], order: [0, 1, 2, 3], likert: 5, ms: 18000, gv: 1 },
    { set: 's1', user: 'carol', tiers: [[1], [0], [2, 3]], order: [1, 3, 0, 2], flags: { '2': ['factual_error'] }, ms: 40000, gv: 2 },
    { set: 's2', user: 'alice', tiers: [[1], [0], [2, 3]], order: [3, 1, 2, 0], likert: 4, ms: 25000, gv: 2 },
    { set: 's2', user: 'bob', tiers: [[0, 1], [2], [3]], order: [0, 2, 1, 3], likert: 3, comment: 'Two decent ones.', ms: 12000, gv: 2 },
    { set: 's2', user: 'carol', tiers: [[3], [2], [1], [0]], allBad: true, order: [3, 0, 1, 2], flags: { '3': ['factual_error', 'other'], '0': ['other'] }, likert: 1, ms: 9000, gv: 2 },
    { set: 's3', user: 'alice', tiers: [[2], [0, 1], [3]], order: [2, 1, 0, 3], likert: 6, ms: 30000, gv: 2 },
    { set: 's3', user: 'bob', tiers: [[2], [0], [1], [3]], order: [1, 2, 3, 0], likert: 7, ms: 28000, gv: 2 },
  ];
  for (const [i, j] of js.entries()) {
    const aid = id(`a-${j.set}-${j.user}`);
    const set = sets.find((s) => s.sid === j.set)!;
    await q(`INSERT INTO "Assignment" (id, "taskId", "userId", status, "expiresAt", "submittedAt", "createdAt", "updatedAt") VALUES ($1, $2, $3, 'SUBMITTED', $4, $4, $4, $4)`, [aid, id(`t-${j.set}`), id(j.user), at(40 + i)]);
    await q(
      `INSERT INTO "Judgement" (id, "projectId", "setId", "taskId", "assignmentId", "userId", "roundId", tiers, "allBad", flags, likert, comment, "displayOrder", "timeMs", "guidelineVersion", "createdAt")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
      [id(`j-${j.set}-${j.user}`), projectId, id(j.set), id(`t-${j.set}`), aid, id(j.user), set.ckpt ? roundId : null, JSON.stringify(j.tiers), j.allBad ?? false, JSON.stringify(j.flags ?? {}), j.likert ?? null, j.comment ?? null, JSON.stringify(j.order), j.ms, j.gv, at(40 + i)],
    );
  }

  const demos: [string, string, 'alice' | 'bob', string, number][] = [
    ['d1', 'p1', 'alice', 'The capital of France is Paris.', 50],
    ['d2', 'p2', 'bob', 'Grey sky leans closer / rain writes on the window glass / the kettle answers', 51],
  ];
  for (const [did, pid, user, text, m] of demos) {
    await q(`INSERT INTO "Task" (id, "projectId", kind, status, "promptId", "createdAt", "updatedAt") VALUES ($1, $2, 'DEMONSTRATION', 'DONE', $3, $4, $4)`, [id(`t-${did}`), projectId, id(pid), at(m)]);
    await q(`INSERT INTO "Assignment" (id, "taskId", "userId", status, "expiresAt", "createdAt", "updatedAt") VALUES ($1, $2, $3, 'SUBMITTED', $4, $4, $4)`, [id(`a-${did}`), id(`t-${did}`), id(user), at(m)]);
    await q(
      `INSERT INTO "Demonstration" (id, "projectId", "taskId", "assignmentId", "promptId", "userId", text, "guidelineVersion", "timeMs", "createdAt") VALUES ($1, $2, $3, $4, $5, $6, $7, 2, 60000, $8)`,
      [id(did), projectId, id(`t-${did}`), id(`a-${did}`), id(pid), id(user), text, at(m)],
    );
  }
  return { projectId, roundId, users: { alice: id('alice'), bob: id('bob'), carol: id('carol') }, sets: sets.map((s) => id(s.sid)) };
}
