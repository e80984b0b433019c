// The authorization matrix: every route handler under app/ (found by walking the file system,
// so a new route or method the table below does not cover fails the test) is called in-process
// as 10 identities — anonymous, a labeler, a researcher and an admin each by session cookie and by
// API token, a deactivated user (old cookie and token) and an invalid token — and each answer is
// checked against the table: 401 for no valid identity, 403 for the wrong role, 403/404 for
// another user's task, draft, conversation, export job or token (IDOR), and neither for callers
// who are allowed. The owners themselves are checked too, so a refusal is never just a bad id.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db';
import { closeQueues } from '../../lib/queue/connection';
import { createApiToken } from '../../lib/data/api-tokens/create-token';
import { createUser } from '../../lib/data/users/create-user';
import { updateUser } from '../../lib/data/users/update-user';
import { importPrompts } from '../../lib/data/prompts/import-prompts';
import { nextTask } from '../../lib/data/tasks/next-task';
import { getTaskView } from '../../lib/data/tasks/get-task-view';
import { makeProject, makeRankingSets } from '../../lib/data/tasks/test-fixtures';
import { hasRole, type Role } from '../../lib/auth/roles';
import { cookieHeader, postSignIn, uniqueEmail } from '../../lib/auth/test-helpers';
import * as adminUsersId from '@/app/api/admin/users/[id]/route';
import * as adminUsers from '@/app/api/admin/users/route';
import * as authAll from '@/app/api/auth/[...all]/route';
import * as checkpointPromote from '@/app/api/checkpoints/[id]/promote/route';
import * as checkpoints from '@/app/api/checkpoints/route';
import * as conversationMessages from '@/app/api/conversations/[id]/messages/route';
import * as conversation from '@/app/api/conversations/[id]/route';
import * as conversationSuggest from '@/app/api/conversations/[id]/suggest/route';
import * as exportJobFile from '@/app/api/export-jobs/[id]/file/route';
import * as exportJob from '@/app/api/export-jobs/[id]/route';
import * as exportJobs from '@/app/api/export-jobs/route';
import * as exportFormat from '@/app/api/exports/[format]/route';
import * as exportsList from '@/app/api/exports/route';
import * as goldSet from '@/app/api/gold/[setId]/route';
import * as gold from '@/app/api/gold/route';
import * as health from '@/app/api/health/route';
import * as me from '@/app/api/me/route';
import * as bases from '@/app/api/projects/[id]/bases/route';
import * as baseUploadFile from '@/app/api/projects/[id]/bases/uploads/[upload]/[file]/route';
import * as baseUpload from '@/app/api/projects/[id]/bases/uploads/[upload]/route';
import * as baseUploads from '@/app/api/projects/[id]/bases/uploads/route';
import * as completionSetImport from '@/app/api/projects/[id]/completion-sets/import/route';
import * as guidelines from '@/app/api/projects/[id]/guidelines/route';
import * as promptImport from '@/app/api/projects/[id]/prompts/import/route';
import * as project from '@/app/api/projects/[id]/route';
import * as projects from '@/app/api/projects/route';
import * as quality from '@/app/api/quality/route';
import * as qualitySet from '@/app/api/quality/sets/[id]/route';
import * as roundCancel from '@/app/api/rounds/[id]/cancel/route';
import * as round from '@/app/api/rounds/[id]/route';
import * as roundOptions from '@/app/api/rounds/options/route';
import * as rounds from '@/app/api/rounds/route';
import * as roundPreflight from '@/app/api/rounds/preflight/route';
import * as snapshot from '@/app/api/snapshots/[id]/route';
import * as snapshots from '@/app/api/snapshots/route';
import * as taskDraft from '@/app/api/tasks/[id]/draft/route';
import * as taskRenew from '@/app/api/tasks/[id]/renew/route';
import * as task from '@/app/api/tasks/[id]/route';
import * as taskSkip from '@/app/api/tasks/[id]/skip/route';
import * as taskSubmit from '@/app/api/tasks/[id]/submit/route';
import * as tasksMine from '@/app/api/tasks/mine/route';
import * as tasksNext from '@/app/api/tasks/next/route';
import * as tokenId from '@/app/api/tokens/[id]/route';
import * as tokens from '@/app/api/tokens/route';
import * as chatCompletions from '@/app/v1/chat/completions/route';
import * as models from '@/app/v1/models/route';
import * as modelId from '@/app/v1/models/[id]/route';
import * as v1Other from '@/app/v1/[...path]/route';
import * as projectData from '@/app/api/projects/[id]/data/route';
import * as projectDataItem from '@/app/api/projects/[id]/data/items/[type]/[itemId]/route';
import * as conversationImport from '@/app/api/projects/[id]/conversations/import/route';
import * as qualityExclusions from '@/app/api/quality/exclusions/route';
import * as taskSuggest from '@/app/api/tasks/[id]/suggest/route';
import * as adminAudit from '@/app/api/admin/audit/route';
import * as arenaList from '@/app/api/arena/route';
import * as arenaOne from '@/app/api/arena/[id]/route';
import * as arenaClose from '@/app/api/arena/[id]/close/route';
import * as arenaResults from '@/app/api/arena/[id]/results/route';
import * as arenaExport from '@/app/api/arena/[id]/export/route';

const B = 'http://localhost:3000';
const ROOT = path.resolve(import.meta.dirname, '../..');
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
type Method = (typeof METHODS)[number];
type Handler = (req: Request, ctx: { params: Promise<Record<string, unknown>> }) => Promise<Response>;

/** Objects that belong to one user: everyone else is refused (403 or 404), admins too unless adminSeesAll. */
type Owned = 'task' | 'conversation' | 'exportJob' | 'token';
/**
 * `public`: anyone, signed in or not (`badTokenRefused`: but a token that is invalid or belongs to a
 * deactivated user is a 401, not an anonymous caller). Otherwise the roles allowed ([] = any
 * signed-in user).
 */
type Rule = { public: true; badTokenRefused?: true } | { roles: Role[]; owned?: Owned; adminSeesAll?: boolean };

const ANY: Rule = { roles: [] };
const ADMIN: Rule = { roles: ['ADMIN'] };
const RESEARCH: Rule = { roles: ['RESEARCHER'] };
const RESEARCH_OR_ADMIN: Rule = { roles: ['ADMIN', 'RESEARCHER'] };
const LABEL: Rule = { roles: ['LABELER'] };
const OWN_TASK: Rule = { roles: ['LABELER'], owned: 'task' };
const OWN_CONVERSATION: Rule = { roles: ['LABELER'], owned: 'conversation' };
const OWN_EXPORT_JOB: Rule = { roles: ['RESEARCHER'], owned: 'exportJob', adminSeesAll: true };

type Entry = { module: Record<string, unknown>; path: string; rules: Partial<Record<Method, Rule>> };

// Every route file, its URL pattern and the rule of each method it exports.
const TABLE: Record<string, Entry> = {
  'app/api/admin/users/[id]/route.ts': { module: adminUsersId, path: '/api/admin/users/[id]', rules: { PATCH: ADMIN } },
  'app/api/admin/users/route.ts': { module: adminUsers, path: '/api/admin/users', rules: { GET: ADMIN, POST: ADMIN } },
  // better-auth's own endpoints (sign-in, get-session, sign-out): public by nature.
  'app/api/auth/[...all]/route.ts': { module: authAll, path: '/api/auth/get-session', rules: { GET: { public: true }, POST: { public: true } } },
  'app/api/checkpoints/[id]/promote/route.ts': { module: checkpointPromote, path: '/api/checkpoints/[id]/promote', rules: { POST: ADMIN } },
  'app/api/checkpoints/route.ts': { module: checkpoints, path: '/api/checkpoints', rules: { GET: RESEARCH_OR_ADMIN } },
  'app/api/conversations/[id]/messages/route.ts': { module: conversationMessages, path: '/api/conversations/[id]/messages', rules: { POST: OWN_CONVERSATION } },
  'app/api/conversations/[id]/route.ts': { module: conversation, path: '/api/conversations/[id]', rules: { GET: OWN_CONVERSATION } },
  'app/api/conversations/[id]/suggest/route.ts': { module: conversationSuggest, path: '/api/conversations/[id]/suggest', rules: { POST: OWN_CONVERSATION } },
  'app/api/export-jobs/[id]/file/route.ts': { module: exportJobFile, path: '/api/export-jobs/[id]/file', rules: { GET: OWN_EXPORT_JOB } },
  'app/api/export-jobs/[id]/route.ts': { module: exportJob, path: '/api/export-jobs/[id]', rules: { GET: OWN_EXPORT_JOB } },
  'app/api/export-jobs/route.ts': { module: exportJobs, path: '/api/export-jobs', rules: { GET: RESEARCH, POST: RESEARCH } },
  'app/api/exports/[format]/route.ts': { module: exportFormat, path: '/api/exports/[format]', rules: { GET: RESEARCH } },
  'app/api/exports/route.ts': { module: exportsList, path: '/api/exports', rules: { GET: RESEARCH } },
  'app/api/gold/[setId]/route.ts': { module: goldSet, path: '/api/gold/[setId]', rules: { PUT: ADMIN, DELETE: ADMIN } },
  'app/api/gold/route.ts': { module: gold, path: '/api/gold', rules: { GET: ADMIN } },
  // ok/not-ok for anyone; the details are checked separately below.
  'app/api/health/route.ts': { module: health, path: '/api/health', rules: { GET: { public: true, badTokenRefused: true } } },
  'app/api/me/route.ts': { module: me, path: '/api/me', rules: { GET: ANY } },
  'app/api/projects/[id]/bases/route.ts': { module: bases, path: '/api/projects/[id]/bases', rules: { GET: ADMIN, POST: ADMIN } },
  'app/api/projects/[id]/bases/uploads/[upload]/[file]/route.ts': { module: baseUploadFile, path: '/api/projects/[id]/bases/uploads/[upload]/[file]', rules: { PUT: ADMIN } },
  'app/api/projects/[id]/bases/uploads/[upload]/route.ts': { module: baseUpload, path: '/api/projects/[id]/bases/uploads/[upload]', rules: { GET: ADMIN, DELETE: ADMIN } },
  'app/api/projects/[id]/bases/uploads/route.ts': { module: baseUploads, path: '/api/projects/[id]/bases/uploads', rules: { POST: ADMIN } },
  'app/api/projects/[id]/completion-sets/import/route.ts': { module: completionSetImport, path: '/api/projects/[id]/completion-sets/import', rules: { POST: ADMIN } },
  'app/api/projects/[id]/guidelines/route.ts': { module: guidelines, path: '/api/projects/[id]/guidelines', rules: { GET: ANY } },
  'app/api/projects/[id]/prompts/import/route.ts': { module: promptImport, path: '/api/projects/[id]/prompts/import', rules: { POST: ADMIN } },
  'app/api/projects/[id]/route.ts': { module: project, path: '/api/projects/[id]', rules: { GET: ADMIN, PATCH: ADMIN } },
  'app/api/projects/route.ts': { module: projects, path: '/api/projects', rules: { GET: ANY, POST: ADMIN } },
  'app/api/quality/route.ts': { module: quality, path: '/api/quality', rules: { GET: RESEARCH } },
  'app/api/quality/sets/[id]/route.ts': { module: qualitySet, path: '/api/quality/sets/[id]', rules: { GET: RESEARCH } },
  'app/api/rounds/[id]/cancel/route.ts': { module: roundCancel, path: '/api/rounds/[id]/cancel', rules: { POST: ADMIN } },
  'app/api/rounds/[id]/route.ts': { module: round, path: '/api/rounds/[id]', rules: { GET: RESEARCH_OR_ADMIN } },
  'app/api/rounds/options/route.ts': { module: roundOptions, path: '/api/rounds/options', rules: { GET: ADMIN } },
  'app/api/rounds/route.ts': { module: rounds, path: '/api/rounds', rules: { GET: RESEARCH_OR_ADMIN, POST: ADMIN } },
  'app/api/rounds/preflight/route.ts': { module: roundPreflight, path: '/api/rounds/preflight', rules: { POST: ADMIN } },
  // Snapshots are project data: every researcher reads any of them (lib/data/snapshots/get-snapshot.ts).
  'app/api/snapshots/[id]/route.ts': { module: snapshot, path: '/api/snapshots/[id]', rules: { GET: RESEARCH } },
  'app/api/snapshots/route.ts': { module: snapshots, path: '/api/snapshots', rules: { GET: RESEARCH, POST: RESEARCH } },
  'app/api/tasks/[id]/draft/route.ts': { module: taskDraft, path: '/api/tasks/[id]/draft', rules: { PUT: OWN_TASK, POST: OWN_TASK } },
  'app/api/tasks/[id]/renew/route.ts': { module: taskRenew, path: '/api/tasks/[id]/renew', rules: { POST: OWN_TASK } },
  'app/api/tasks/[id]/route.ts': { module: task, path: '/api/tasks/[id]', rules: { GET: OWN_TASK } },
  'app/api/tasks/[id]/skip/route.ts': { module: taskSkip, path: '/api/tasks/[id]/skip', rules: { POST: OWN_TASK } },
  'app/api/tasks/[id]/submit/route.ts': { module: taskSubmit, path: '/api/tasks/[id]/submit', rules: { POST: OWN_TASK } },
  'app/api/tasks/mine/route.ts': { module: tasksMine, path: '/api/tasks/mine', rules: { GET: LABEL } },
  'app/api/tasks/next/route.ts': { module: tasksNext, path: '/api/tasks/next', rules: { POST: LABEL } },
  // Tokens are their owner's only, admins included: another user's token id is 404.
  'app/api/tokens/[id]/route.ts': { module: tokenId, path: '/api/tokens/[id]', rules: { DELETE: { roles: [], owned: 'token' } } },
  'app/api/tokens/route.ts': { module: tokens, path: '/api/tokens', rules: { GET: ANY, POST: ANY } },
  'app/v1/chat/completions/route.ts': { module: chatCompletions, path: '/v1/chat/completions', rules: { POST: ANY } },
  'app/v1/models/route.ts': { module: models, path: '/v1/models', rules: { GET: ANY } },
  'app/v1/models/[id]/route.ts': { module: modelId, path: '/v1/models/[id]', rules: { GET: ANY } },
  // Any other /v1 URL: OpenAI's JSON 404, to everyone (it reads nothing).
  'app/v1/[...path]/route.ts': { module: v1Other, path: '/v1/completions', rules: { GET: { public: true }, POST: { public: true }, PUT: { public: true }, PATCH: { public: true }, DELETE: { public: true } } },
  'app/api/projects/[id]/data/route.ts': { module: projectData, path: '/api/projects/[id]/data', rules: { GET: RESEARCH_OR_ADMIN } },
  'app/api/projects/[id]/data/items/[type]/[itemId]/route.ts': { module: projectDataItem, path: '/api/projects/[id]/data/items/[type]/[itemId]', rules: { GET: RESEARCH_OR_ADMIN } },
  'app/api/projects/[id]/conversations/import/route.ts': { module: conversationImport, path: '/api/projects/[id]/conversations/import', rules: { POST: ADMIN } },
  'app/api/quality/exclusions/route.ts': { module: qualityExclusions, path: '/api/quality/exclusions', rules: { GET: RESEARCH, POST: ADMIN, DELETE: ADMIN } },
  'app/api/tasks/[id]/suggest/route.ts': { module: taskSuggest, path: '/api/tasks/[id]/suggest', rules: { POST: OWN_TASK } },
  'app/api/admin/audit/route.ts': { module: adminAudit, path: '/api/admin/audit', rules: { GET: ADMIN } },
  'app/api/arena/route.ts': { module: arenaList, path: '/api/arena', rules: { GET: RESEARCH_OR_ADMIN, POST: ADMIN } },
  'app/api/arena/[id]/route.ts': { module: arenaOne, path: '/api/arena/[id]', rules: { GET: RESEARCH_OR_ADMIN } },
  'app/api/arena/[id]/close/route.ts': { module: arenaClose, path: '/api/arena/[id]/close', rules: { POST: ADMIN } },
  'app/api/arena/[id]/results/route.ts': { module: arenaResults, path: '/api/arena/[id]/results', rules: { GET: RESEARCH_OR_ADMIN } },
  'app/api/arena/[id]/export/route.ts': { module: arenaExport, path: '/api/arena/[id]/export', rules: { GET: RESEARCH_OR_ADMIN } },
};

function routeFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return routeFiles(rel);
    return e.name === 'route.ts' ? [rel] : [];
  });
}

type Identity = { name: string; role: Role | null; headers: Record<string, string> };

// The objects the IDOR calls aim at: all belong to `other*` users, none to the identities.
type Fixture = {
  identities: Identity[];
  ids: { projectId: string; taskId: string; conversationId: string; rootMessageId: string; exportJobId: string; tokenId: string; snapshotId: string; throwawayUserId: string };
  owners: { labeler: Record<string, string>; researcher: Record<string, string> };
};

const PASSWORD = 'correct horse battery';

async function account(role: Role, tag: string) {
  const u = await createUser({ name: `Matrix ${tag}`, email: uniqueEmail(`matrix-${tag}`), password: PASSWORD, role }, { id: null });
  const res = await postSignIn(u.email, PASSWORD, '198.51.100.200');
  expect(res.status).toBe(200);
  const { secret } = await createApiToken(u.id, { name: `matrix ${tag}` });
  return { id: u.id, cookie: { cookie: cookieHeader(res) }, bearer: { authorization: `Bearer ${secret}` } };
}

async function setUp(): Promise<Fixture> {
  const [labeler, researcher, admin, deactivated, otherLabeler, otherResearcher] = await Promise.all([
    account('LABELER', 'labeler'),
    account('RESEARCHER', 'researcher'),
    account('ADMIN', 'admin'),
    account('RESEARCHER', 'deactivated'),
    account('LABELER', 'owner-labeler'),
    account('RESEARCHER', 'owner-researcher'),
  ]);
  await updateUser(deactivated.id, { active: false }, { id: admin.id });

  const projectId = await makeProject({ mixDemonstration: 0, mixRanking: 0 });
  await importPrompts(projectId, '{"text":"Plan a picnic"}', 'jsonl', null);
  await makeRankingSets(projectId, 1);
  const lease = (await nextTask(otherLabeler.id, { projectId, kind: 'DIALOGUE' }))!;
  const view = await getTaskView(lease.taskId, otherLabeler.id);
  const exportJob = await prisma.exportJob.create({ data: { userId: otherResearcher.id, format: 'pairwise' } });
  const token = await createApiToken(otherResearcher.id, { name: 'not yours' });
  const snap = await prisma.datasetSnapshot.create({
    data: { projectId, kind: 'EXPORT', filter: { projectId }, rowCount: 0, sha256: '0'.repeat(64), manifest: {}, createdById: otherResearcher.id },
  });
  const throwaway = await createUser({ name: 'Matrix throwaway', email: uniqueEmail('matrix-throwaway'), password: PASSWORD, role: 'LABELER' }, { id: null });

  return {
    identities: [
      { name: 'anonymous', role: null, headers: {} },
      { name: 'invalid token', role: null, headers: { authorization: 'Bearer hone_notARealTokenAtAll0000000000000000000000000' } },
      { name: 'deactivated (cookie)', role: null, headers: deactivated.cookie },
      { name: 'deactivated (token)', role: null, headers: deactivated.bearer },
      { name: 'labeler (cookie)', role: 'LABELER', headers: labeler.cookie },
      { name: 'labeler (token)', role: 'LABELER', headers: labeler.bearer },
      { name: 'researcher (cookie)', role: 'RESEARCHER', headers: researcher.cookie },
      { name: 'researcher (token)', role: 'RESEARCHER', headers: researcher.bearer },
      { name: 'admin (cookie)', role: 'ADMIN', headers: admin.cookie },
      { name: 'admin (token)', role: 'ADMIN', headers: admin.bearer },
    ],
    ids: {
      projectId,
      taskId: lease.taskId,
      conversationId: view.dialogue!.conversationId,
      rootMessageId: view.dialogue!.messages[0].id,
      exportJobId: exportJob.id,
      tokenId: token.token.id,
      snapshotId: snap.id,
      throwawayUserId: throwaway.id,
    },
    owners: { labeler: otherLabeler.bearer, researcher: otherResearcher.bearer },
  };
}

/** Route params and a body for each call: real ids, and bodies valid enough to reach the ownership checks. */
function call(fx: Fixture, file: string, method: Method): { params: Record<string, unknown>; body?: unknown } {
  const { ids } = fx;
  const idFor: Record<string, string> = {
    'app/api/admin/users/[id]/route.ts': ids.throwawayUserId,
    'app/api/conversations/[id]/messages/route.ts': ids.conversationId,
    'app/api/conversations/[id]/route.ts': ids.conversationId,
    'app/api/conversations/[id]/suggest/route.ts': ids.conversationId,
    'app/api/export-jobs/[id]/file/route.ts': ids.exportJobId,
    'app/api/export-jobs/[id]/route.ts': ids.exportJobId,
    'app/api/snapshots/[id]/route.ts': ids.snapshotId,
    'app/api/tokens/[id]/route.ts': ids.tokenId,
  };
  const id = idFor[file] ?? (file.startsWith('app/api/tasks/[id]') ? ids.taskId : file.startsWith('app/api/projects/[id]') ? ids.projectId : 'matrix-missing-id');
  const params = { id, setId: 'matrix-missing-set', format: 'pairwise', upload: 'matrix-missing-upload', file: 'config.json', all: ['get-session'], path: ['completions'], type: 'set', itemId: 'matrix-missing-item' };
  const bodies: Record<string, unknown> = {
    'app/api/conversations/[id]/messages/route.ts': { parentId: ids.rootMessageId, role: 'ASSISTANT', text: 'Bring sandwiches.' },
    'app/api/conversations/[id]/suggest/route.ts': { parentId: ids.rootMessageId },
    'app/api/tasks/[id]/draft/route.ts': { draft: { text: 'someone else’s draft' } },
    'app/api/tasks/[id]/skip/route.ts': { reason: 'not mine' },
    'app/api/tasks/[id]/submit/route.ts': { kind: 'DIALOGUE' },
    'app/api/admin/users/[id]/route.ts': { name: 'Matrix throwaway' },
  };
  return { params, body: method === 'GET' || method === 'DELETE' ? undefined : (bodies[file] ?? {}) };
}

function request(entry: Entry, method: Method, params: Record<string, unknown>, headers: Record<string, string>, body: unknown): Request {
  const url = B + entry.path.replace(/\[(\w+)\]/g, (_, k: string) => encodeURIComponent(String(params[k])));
  const init: RequestInit = { method, headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) } };
  if (body !== undefined) init.body = JSON.stringify(body);
  return new Request(url, init);
}

async function invoke(entry: Entry, method: Method, params: Record<string, unknown>, headers: Record<string, string>, body: unknown): Promise<number> {
  const handler = entry.module[method] as Handler;
  const res = await handler(request(entry, method, params, headers, body), { params: Promise.resolve(params) });
  await res.body?.cancel();
  return res.status;
}

/**
 * What a call must answer: a set of statuses, or "anything but" a set (never a 500). An allowed
 * caller may get 404 for an id that does not exist, except on an owned object it may see.
 */
function expected(rule: Rule, who: Identity): { oneOf: number[] } | { not: number[] } {
  if ('public' in rule) return rule.badTokenRefused && !who.role && who.headers.authorization ? { oneOf: [401] } : { not: [401, 403] };
  if (!who.role) return { oneOf: [401] };
  if (!hasRole(who.role, rule.roles)) return { oneOf: [403] };
  if (rule.owned && !(who.role === 'ADMIN' && rule.adminSeesAll)) return { oneOf: [403, 404] };
  return { not: rule.owned ? [401, 403, 404] : [401, 403] };
}

let fx: Fixture;

beforeAll(async () => {
  fx = await setUp();
}, 120_000);

afterAll(async () => {
  await closeQueues();
  await prisma.$disconnect();
});

describe('authorization matrix', () => {
  it('covers every route file and every method it exports, and nothing else', () => {
    const files = [...routeFiles('app')].sort();
    expect(files.length).toBeGreaterThan(40);
    expect(files).toEqual(Object.keys(TABLE).sort());
    for (const [file, entry] of Object.entries(TABLE)) {
      const exported = METHODS.filter((m) => typeof entry.module[m] === 'function');
      expect({ file, methods: exported }).toEqual({ file, methods: Object.keys(entry.rules).sort((a, b) => METHODS.indexOf(a as Method) - METHODS.indexOf(b as Method)) });
    }
  });

  it('the owners can use their own objects, so the IDOR refusals below are about ownership', async () => {
    const byPath = (file: string) => TABLE[file];
    const own = async (file: string, method: Method, headers: Record<string, string>, body?: unknown) => {
      const c = call(fx, file, method);
      return invoke(byPath(file), method, c.params, headers, body ?? c.body);
    };
    expect(await own('app/api/tasks/[id]/route.ts', 'GET', fx.owners.labeler)).toBe(200);
    expect(await own('app/api/tasks/[id]/draft/route.ts', 'PUT', fx.owners.labeler, { draft: { text: 'the owner’s draft' } })).toBe(200);
    expect(await own('app/api/conversations/[id]/route.ts', 'GET', fx.owners.labeler)).toBe(200);
    expect(await own('app/api/export-jobs/[id]/route.ts', 'GET', fx.owners.researcher)).toBe(200);
    expect(await own('app/api/export-jobs/[id]/file/route.ts', 'GET', fx.owners.researcher)).toBe(409); // queued, no file yet
    const listed = await tokens.GET(new Request(`${B}/api/tokens`, { headers: fx.owners.researcher }), { params: Promise.resolve({}) });
    expect(((await listed.json()) as { tokens: { id: string }[] }).tokens.map((t) => t.id)).toContain(fx.ids.tokenId);
  });

  it('answers every route, method and identity as the table says', async () => {
    const violations: string[] = [];
    let calls = 0;
    for (const [file, entry] of Object.entries(TABLE)) {
      for (const [method, rule] of Object.entries(entry.rules) as [Method, Rule][]) {
        for (const who of fx.identities) {
          const { params, body } = call(fx, file, method);
          const status = await invoke(entry, method, params, who.headers, body);
          calls++;
          const want = expected(rule, who);
          const ok = 'oneOf' in want ? want.oneOf.includes(status) : !want.not.includes(status) && status !== 500;
          if (!ok) violations.push(`${method} ${entry.path} as ${who.name}: ${status}, want ${'oneOf' in want ? want.oneOf.join('/') : `not ${want.not.join('/')}`}`);
        }
      }
    }
    expect(violations).toEqual([]);
    expect(calls).toBe(Object.values(TABLE).reduce((n, e) => n + Object.keys(e.rules).length, 0) * fx.identities.length);
  }, 300_000);

  it('the IDOR targets are untouched: the draft, the conversation and the token are as their owners left them', async () => {
    const assignment = await prisma.assignment.findFirstOrThrow({ where: { taskId: fx.ids.taskId } });
    expect(assignment.status).toBe('ACTIVE');
    expect(assignment.draft).toEqual({ text: 'the owner’s draft' });
    expect(await prisma.message.count({ where: { conversationId: fx.ids.conversationId } })).toBe(1);
    expect((await prisma.apiToken.findUniqueOrThrow({ where: { id: fx.ids.tokenId } })).revokedAt).toBeNull();
  });

  it('a snapshot is readable by every researcher; another researcher’s export job is not', async () => {
    const researcher = fx.identities.find((i) => i.name === 'researcher (token)')!;
    const snap = await snapshot.GET(new Request(`${B}/api/snapshots/${fx.ids.snapshotId}`, { headers: researcher.headers }), { params: Promise.resolve({ id: fx.ids.snapshotId }) });
    expect(snap.status).toBe(200);
    const job = await exportJob.GET(new Request(`${B}/api/export-jobs/${fx.ids.exportJobId}`, { headers: researcher.headers }), { params: Promise.resolve({ id: fx.ids.exportJobId }) });
    expect(job.status).toBe(404);
    const list = await exportJobs.GET(new Request(`${B}/api/export-jobs`, { headers: researcher.headers }), { params: Promise.resolve({}) });
    expect(((await list.json()) as { jobs: { id: string }[] }).jobs.map((j) => j.id)).not.toContain(fx.ids.exportJobId);
  });

  it('/api/health tells anonymous callers ok or not only; details and deep=1 need an admin or a token', async () => {
    const get = (query: string, headers: Record<string, string>) => health.GET(new Request(`${B}/api/health${query}`, { headers }));
    const anonymous = await get('', {});
    expect([200, 503]).toContain(anonymous.status);
    expect(Object.keys(await anonymous.json())).toEqual(['ok']);
    expect((await get('?deep=1', {})).status).toBe(401);
    const labeler = fx.identities.find((i) => i.name === 'labeler (cookie)')!;
    expect(Object.keys(await (await get('', labeler.headers)).json())).toEqual(['ok']);
    expect((await get('?deep=1', labeler.headers)).status).toBe(403);
    expect((await get('', { authorization: 'Bearer hone_notARealToken' })).status).toBe(401);
    for (const name of ['admin (cookie)', 'labeler (token)']) {
      const body = (await (await get('', fx.identities.find((i) => i.name === name)!.headers)).json()) as Record<string, unknown>;
      expect(Object.keys(body).sort()).toEqual(['database', 'ok', 'redis', 'worker']);
    }
  });
});
