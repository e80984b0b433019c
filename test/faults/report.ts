// What the suite found: one line per check, and the figures of the summary line.
export type Check = { scenario: string; check: string; ok: boolean; detail: string };

export class Report {
  readonly checks: Check[] = [];
  readonly submissions = { acknowledged: 0, stored: 0, lost: 0, duplicates: 0 };
  readonly scenarioSeconds: Record<string, number> = {};

  check(scenario: string, check: string, ok: boolean, rawDetail = ''): boolean {
    const detail = rawDetail.replace(/\s+/g, ' ').trim();
    this.checks.push({ scenario, check, ok, detail });
    console.error(`[faults] ${ok ? 'ok  ' : 'FAIL'} ${scenario}: ${check}${detail ? ` — ${detail}` : ''}`);
    return ok;
  }

  failed(scenario?: string): Check[] {
    return this.checks.filter((c) => !c.ok && (!scenario || c.scenario === scenario));
  }
}
