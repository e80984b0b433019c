// The audit page's sentences, one per action family, and the fallback for rows without names.
import { describe, expect, it } from 'vitest';
import { describeAudit, type DescribableAudit } from './describe';

const row = (over: Partial<DescribableAudit>): DescribableAudit => ({ action: 'project.create', actorName: 'Ann', projectName: null, targetType: null, targetId: null, data: {}, ...over });

describe('describeAudit', () => {
  it('names the actor, the verb and the object of each family', () => {
    expect(describeAudit(row({ projectName: 'Summaries' }))).toBe('Ann created project Summaries');
    expect(describeAudit(row({ action: 'guidelines.update', projectName: 'Summaries', data: { version: 3 } }))).toBe('Ann published new guidelines for project Summaries');
    expect(describeAudit(row({ action: 'user.role', data: { email: 'lee@example.com', from: 'LABELER', to: 'ADMIN' } }))).toBe('Ann changed the role of lee@example.com');
    expect(describeAudit(row({ action: 'token.revoke', data: { name: 'notebook' } }))).toBe('Ann revoked the API token "notebook"');
    expect(describeAudit(row({ action: 'round.launch', data: { number: 4 } }))).toBe('Ann launched round 4');
    expect(describeAudit(row({ action: 'gold.set', targetId: 'set-1' }))).toBe('Ann marked the gold order of ranking set set-1');
    expect(describeAudit(row({ action: 'snapshot.create', targetId: '0123456789abcdef', data: { rowCount: 12 } }))).toBe('Ann froze snapshot 01234567 (12 items)');
    expect(describeAudit(row({ action: 'export.create', data: { format: 'pairwise' } }))).toBe('Ann queued an export of pairwise');
  });

  it('says who acted when no person did, and falls back to ids', () => {
    expect(describeAudit(row({ action: 'checkpoint.promote', actorName: null, data: { auto: true, name: 'demo-r2-policy' } }))).toBe('Hone (auto-promotion) promoted checkpoint demo-r2-policy');
    expect(describeAudit(row({ action: 'user.create', actorName: null, targetId: 'u1', data: {} }))).toBe('Hone created the account of u1');
    expect(describeAudit(row({ action: 'something.new', targetId: 'x1' }))).toBe('Ann did something.new on x1');
  });
});
