// POST /api/tasks/next {projectId?, kind?} — lease the next task (LABELER).
import { route, readJson } from '@/lib/http';
import { requireApiUser } from '@/lib/auth/api';
import { NextTaskInput } from '@/lib/shared/schemas';
import { nextTask } from '@/lib/data/tasks/next-task';

export const dynamic = 'force-dynamic';

// Small JSON answers, sent uncompressed: gzipping a ~200-byte body costs more CPU than it saves on
// the wire, and Next's response compression honours `Cache-Control: no-transform`.
function json(body: unknown, status = 200): Response {
  const text = JSON.stringify(body);
  return new Response(text, { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-transform' } });
}

export const POST = route(async (req) => {
  const user = await requireApiUser(req, 'LABELER');
  const input = await readJson(req, NextTaskInput, { empty: {} });
  const lease = await nextTask(user.id, input);
  if (!lease) return json({ task: null, message: 'No task is available for you right now. Thank you — check back later.' });
  return json({ task: lease });
});
