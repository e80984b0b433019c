// A tiny HTTP client for Hone's JSON API: signs in like a browser (session cookie) or uses an
// API token, and throws with the server's own message on errors.
export class HoneHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

export class HoneClient {
  private cookie = '';
  constructor(
    readonly baseUrl: string,
    private token?: string,
  ) {}

  static async signIn(baseUrl: string, email: string, password: string): Promise<HoneClient> {
    const c = new HoneClient(baseUrl);
    const res = await fetch(new URL('/api/auth/sign-in/email', baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: new URL(baseUrl).origin },
      body: JSON.stringify({ email, password }),
    });
    if (!res.ok) throw new HoneHttpError(res.status, undefined, `sign-in as ${email} failed: ${res.status} ${await res.text()}`);
    c.cookie = res.headers
      .getSetCookie()
      .map((h) => h.split(';')[0])
      .join('; ');
    return c;
  }

  async request<T = unknown>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const h: Record<string, string> = { ...headers };
    if (this.token) h.authorization = `Bearer ${this.token}`;
    else if (this.cookie) h.cookie = this.cookie;
    let payload: string | undefined;
    if (typeof body === 'string') payload = body;
    else if (body !== undefined) {
      payload = JSON.stringify(body);
      h['content-type'] ??= 'application/json';
    }
    const res = await fetch(new URL(path, this.baseUrl), { method, headers: h, body: payload });
    const text = await res.text();
    let json: unknown = undefined;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    if (!res.ok) {
      const err = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
      throw new HoneHttpError(res.status, err?.code, `${method} ${path}: ${res.status} ${err?.message ?? text.slice(0, 300)}`);
    }
    return json as T;
  }

  get = <T = unknown>(path: string) => this.request<T>('GET', path);
  post = <T = unknown>(path: string, body?: unknown, headers?: Record<string, string>) => this.request<T>('POST', path, body ?? {}, headers);
}
