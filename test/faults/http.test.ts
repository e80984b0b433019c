// The outage classifier of the fault suite: only requests started during an outage count, a 503
// is fine, a 500, no answer or a slow answer is a violation, and web-down requests are kept apart.
import { describe, expect, it } from 'vitest';
import { HANG_MS, Recorder } from './http';

const answer = (status: number, ms = 20) => ({ status, ms, text: '' });

describe('Recorder', () => {
  it('counts nothing outside an outage', () => {
    const r = new Recorder();
    r.note(r.window(), 'GET /api/health', answer(500));
    expect(r.violationCount).toBe(0);
    expect(Object.values(r.tally).every((n) => n === 0)).toBe(true);
  });

  it('classifies outage answers by status and flags 500s, silence and hangs', () => {
    const r = new Recorder();
    r.setOutage('postgres');
    const w = r.window();
    r.note(w, 'POST /api/tasks/x/submit', answer(503));
    r.note(w, 'GET /api/rounds/x', answer(200));
    r.note(w, 'GET /api/rounds/x', answer(404));
    r.note(w, 'POST /api/export-jobs', answer(500));
    r.note(w, 'POST /api/export-jobs', answer(0));
    r.note(w, 'POST /api/rounds', answer(503, HANG_MS + 1));
    expect(r.tally).toMatchObject({ '503': 2, '2xx': 1, '4xx': 1, '500': 1, 'no answer': 1, 'slower than 5 s': 1 });
    expect(r.violationCount).toBe(3);
    expect(r.violations[0]).toMatch(/^postgres: POST \/api\/export-jobs → 500 after 20 ms/);
  });

  it('keeps requests sent while the web server is down out of the outage tally', () => {
    const r = new Recorder();
    r.setOutage('redis');
    r.setWebDown(true);
    r.note(r.window(), 'POST /api/tasks/next', answer(0));
    expect(r.webDownRequests).toBe(1);
    expect(r.violationCount).toBe(0);
    expect(r.tally['no answer']).toBe(0);
  });
});
