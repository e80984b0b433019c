// fetch helper for the admin project pages (JSON API, session cookie).
export type ApiFailure = { code: string; message: string; details?: unknown };

export async function call<T>(path: string, init: RequestInit = {}): Promise<{ ok: true; data: T } | { ok: false; error: ApiFailure }> {
  try {
    const res = await fetch(path, { credentials: 'same-origin', ...init });
    const body = (await res.json().catch(() => null)) as ({ error?: ApiFailure } & T) | null;
    if (!res.ok) return { ok: false, error: body?.error ?? { code: 'HTTP', message: `The server answered ${res.status}.` } };
    return { ok: true, data: body as T };
  } catch {
    return { ok: false, error: { code: 'NETWORK', message: 'The server could not be reached.' } };
  }
}
