/** A small HTTP client for the Clients API, as a company would write it (used by npm run demo and the e2e tests). */
export class ClientsApi {
  constructor(
    readonly baseUrl: string,
    readonly apiKey?: string,
    /** Tests pass the contract checker's fetch, so every exchange is checked against the OpenAPI document. */
    private readonly send: typeof fetch = fetch,
  ) {}

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await this.send(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...(this.apiKey ? { 'x-api-key': this.apiKey } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    // biome-ignore lint/suspicious/noExplicitAny: tests assert the shape with the contract schemas
    const json: any = text ? JSON.parse(text) : undefined;
    return { status: res.status, contentType: res.headers.get('content-type') ?? '', body: json };
  }

  /** PUTs the file in the planned parts straight to S3 and returns their ETags. */
  static async uploadParts(
    bytes: Uint8Array,
    plan: { partSize: number; parts: { partNumber: number; url: string }[] },
  ) {
    const parts: { partNumber: number; etag: string }[] = [];
    for (const part of plan.parts) {
      const chunk = bytes.subarray((part.partNumber - 1) * plan.partSize, part.partNumber * plan.partSize);
      const res = await fetch(part.url, { method: 'PUT', body: Buffer.from(chunk) });
      if (!res.ok) throw new Error(`part ${part.partNumber}: HTTP ${res.status} ${await res.text()}`);
      parts.push({ partNumber: part.partNumber, etag: res.headers.get('etag') ?? '' });
    }
    return parts;
  }
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
  everyMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
