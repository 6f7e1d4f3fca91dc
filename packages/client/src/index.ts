import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './schema.ts';

/**
 * The typed client of the Facet Clients API: every path, parameter, body and answer is typed from the OpenAPI
 * document. Copy this folder (index.ts + schema.ts) into your project, or regenerate schema.ts from
 * `GET /v1/openapi.json` with openapi-typescript.
 *
 *   const facet = createFacetClient({ baseUrl, apiKey });
 *   const { data, error } = await facet.POST('/v1/orders', { body: { … } });
 */
export type FacetClient = Client<paths>;
export type Order = components['schemas']['Order'];
export type Problem = components['schemas']['Problem'];
export type UploadPlan = components['schemas']['UploadPlan'];

export interface FacetClientOptions {
  readonly baseUrl: string;
  readonly apiKey: string;
  /** A fetch to use instead of the global one (tests wrap it to check every exchange against the document). */
  readonly fetch?: typeof fetch;
}

export function createFacetClient(options: FacetClientOptions): FacetClient {
  return createClient<paths>({
    baseUrl: options.baseUrl,
    headers: { 'x-api-key': options.apiKey },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

/**
 * Uploads a model along an order's upload plan (each part PUT straight to storage) and completes it. Parts
 * already uploaded (their ETags in `done`) are skipped, so an interrupted upload resumes where it stopped.
 */
export async function uploadModel(
  client: FacetClient,
  orderId: string,
  plan: UploadPlan,
  bytes: Uint8Array,
  done: ReadonlyMap<number, string> = new Map(),
  put: typeof fetch = fetch,
) {
  const parts: { partNumber: number; etag: string }[] = [];
  for (const part of plan.parts) {
    let etag = done.get(part.partNumber);
    if (!etag) {
      const chunk = bytes.slice((part.partNumber - 1) * plan.partSize, part.partNumber * plan.partSize);
      const res = await put(part.url, { method: 'PUT', body: chunk });
      if (!res.ok) throw new Error(`part ${part.partNumber}: HTTP ${res.status}`);
      etag = res.headers.get('etag') ?? '';
    }
    parts.push({ partNumber: part.partNumber, etag });
  }
  const { data, error } = await client.POST('/v1/orders/{orderId}/files/{fileId}/complete', {
    params: { path: { orderId, fileId: plan.fileId } },
    body: { parts },
  });
  if (!data) throw new Error(`completing the upload failed: ${error?.detail ?? 'unknown error'}`);
  return data.order;
}

/** Resumes an interrupted upload: asks which parts storage has, uploads the rest with fresh URLs, completes. */
export async function resumeModelUpload(
  client: FacetClient,
  orderId: string,
  fileId: string,
  bytes: Uint8Array,
  put: typeof fetch = fetch,
) {
  const { data, error } = await client.GET('/v1/orders/{orderId}/files/{fileId}', {
    params: { path: { orderId, fileId } },
  });
  if (!data) throw new Error(`reading the upload failed: ${error?.detail ?? 'unknown error'}`);
  const done = new Map<number, string>();
  for (const p of data.upload.parts) if (p.uploaded && p.etag) done.set(p.partNumber, p.etag);
  return uploadModel(client, orderId, data.upload, bytes, done, put);
}
