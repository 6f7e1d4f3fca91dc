import type { Auth } from './auth.ts';

/** An RFC 9457 problem as the API answers it. */
export interface Problem {
  readonly type?: string;
  readonly title?: string;
  readonly status?: number;
  readonly detail?: string;
  readonly errors?: readonly { path?: string; message?: string }[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }
}

export interface Answer<T> {
  readonly status: number;
  readonly body: T | undefined;
  readonly etag: string | undefined;
}

/** The operators' API on this origin (`/ops/*`), with the signed-in operator's ID token. */
export class Api {
  constructor(
    private readonly auth: Auth,
    private readonly base = '',
  ) {}

  async call<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer<T>> {
    const send = async () =>
      fetch(`${this.base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${await this.auth.idToken()}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    let res = await send();
    if (res.status === 401) {
      await this.auth.refused();
      res = await send();
    }
    if (res.status === 304) return { status: 304, body: undefined, etag: res.headers.get('etag') ?? undefined };
    const text = await res.text();
    const parsed = text ? (JSON.parse(text) as unknown) : undefined;
    if (!res.ok) throw new ApiError(res.status, (parsed as Problem | undefined) ?? { title: res.statusText });
    return { status: res.status, body: parsed as T, etag: res.headers.get('etag') ?? undefined };
  }

  async get<T>(path: string): Promise<T> {
    return (await this.call<T>('GET', path)).body as T;
  }

  async post<T>(path: string, body: unknown): Promise<T> {
    return (await this.call<T>('POST', path, body)).body as T;
  }
}

/** A problem as one readable line. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    const fields = (error.problem.errors ?? []).map((e) => `${e.path ?? ''}: ${e.message ?? ''}`).join('; ');
    return [error.problem.title, error.problem.detail, fields].filter(Boolean).join(' — ');
  }
  return error instanceof Error ? error.message : String(error);
}
