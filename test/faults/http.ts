// HTTP to the app under test, every request timed and classified. While a scenario has declared an
// outage (Postgres or Redis down), each request started in it is counted by status class, and any
// answer that is a 5xx other than 503, or slower than HANG_MS, or no answer at all, is kept as a
// violation: the rule is that requests during outages answer 503 fast, never 500 or hang.
export const HANG_MS = Number(process.env.FAULTS_HANG_MS ?? 5_000);
const ABORT_MS = 20_000;

export type Answer<T = unknown> = { status: number; ms: number; data: T; text: string; retryAfter: string | null };

export type OutageTally = { '2xx': number; '3xx': number; '4xx': number; '503': number; '500': number; 'other 5xx': number; 'no answer': number; 'slower than 5 s': number };

export class Recorder {
  private outage: string | null = null;
  readonly tally: OutageTally = { '2xx': 0, '3xx': 0, '4xx': 0, '503': 0, '500': 0, 'other 5xx': 0, 'no answer': 0, 'slower than 5 s': 0 };
  /** The first violations, for the report; violationCount counts them all. */
  readonly violations: string[] = [];
  violationCount = 0;
  /** Requests sent while the web server itself was down (expected to get no answer). */
  webDownRequests = 0;
  private webDown = false;

  /** Marks the start (a label) or end (null) of a Postgres/Redis outage. */
  setOutage(label: string | null) {
    this.outage = label;
  }

  setWebDown(down: boolean) {
    this.webDown = down;
  }

  /** Which outage a request starting now falls in (null: none), or 'web' while the server is down. */
  window(): string | null {
    if (this.webDown) return 'web';
    return this.outage;
  }

  note(window: string | null, what: string, a: { status: number; ms: number; text: string }) {
    if (window === 'web') {
      this.webDownRequests++;
      return;
    }
    if (!window) return;
    const t = this.tally;
    if (a.status === 0) t['no answer']++;
    else if (a.status === 503) t['503']++;
    else if (a.status === 500) t['500']++;
    else if (a.status >= 500) t['other 5xx']++;
    else if (a.status >= 400) t['4xx']++;
    else if (a.status >= 300) t['3xx']++;
    else t['2xx']++;
    const slow = a.ms > HANG_MS;
    if (slow) t['slower than 5 s']++;
    if (a.status === 0 || (a.status >= 500 && a.status !== 503) || slow) {
      this.violationCount++;
      if (this.violations.length < 40) this.violations.push(`${window}: ${what} → ${a.status || 'no answer'} after ${Math.round(a.ms)} ms ${a.text.slice(0, 160)}`);
    }
  }
}

export class Api {
  constructor(
    readonly baseUrl: string,
    readonly recorder: Recorder,
  ) {}

  async request<T = unknown>(method: string, path: string, opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer<T>> {
    const window = this.recorder.window();
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const t = performance.now();
    let answer: Answer<T>;
    try {
      const res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        signal: AbortSignal.timeout(ABORT_MS),
      });
      const text = await res.text();
      let data: unknown = null;
      try {
        data = text ? JSON.parse(text) : null;
      } catch {
        /* not JSON */
      }
      answer = { status: res.status, ms: performance.now() - t, data: data as T, text, retryAfter: res.headers.get('retry-after') };
    } catch (e) {
      answer = { status: 0, ms: performance.now() - t, data: null as T, text: String((e as Error).cause ?? (e as Error).message), retryAfter: null };
    }
    this.recorder.note(window, `${method} ${path}`, answer);
    return answer;
  }

  get = <T = unknown>(path: string, token?: string) => this.request<T>('GET', path, { token });
  post = <T = unknown>(path: string, body: unknown, token?: string, headers?: Record<string, string>) => this.request<T>('POST', path, { body, token, headers });
}
