import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/**
 * Checks HTTP exchanges against the served OpenAPI document: a fetch wrapper for the typed client and the test
 * helpers. A request the document allows must get a documented status with a body matching its schema; a request
 * it forbids must be refused with a documented 4xx problem. Exchanges outside the API (S3 part URLs) pass through.
 */
// biome-ignore lint/suspicious/noExplicitAny: an OpenAPI document is walked as plain JSON
type Json = any;

interface Operation {
  readonly method: string;
  readonly pattern: RegExp;
  readonly pointer: string;
  readonly op: Json;
}

export class ContractChecker {
  readonly violations: string[] = [];
  exchanges = 0;
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly operations: Operation[] = [];
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(
    doc: Json,
    private readonly apiUrl: string,
  ) {
    addFormats.default(this.ajv);
    this.ajv.addSchema(doc, 'facet-openapi');
    for (const [path, item] of Object.entries<Json>(doc.paths)) {
      const pattern = new RegExp(`^${path.replace(/\{\w+\}/g, '[^/]+')}$`);
      for (const [method, op] of Object.entries<Json>(item)) {
        if (method === 'parameters') continue;
        const pointer = `#/paths/${path.replaceAll('~', '~0').replaceAll('/', '~1')}/${method}`;
        this.operations.push({ method: method.toUpperCase(), pattern, pointer, op });
      }
    }
  }

  private schema(pointer: string): ValidateFunction {
    let v = this.compiled.get(pointer);
    if (!v) {
      v = this.ajv.compile({ $ref: `facet-openapi${pointer}` });
      this.compiled.set(pointer, v);
    }
    return v;
  }

  /** A fetch that checks every exchange with the API and records what breaks the contract. */
  readonly fetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (!request.url.startsWith(this.apiUrl)) return fetch(request);
    const path = url.pathname.slice(new URL(this.apiUrl).pathname.replace(/\/$/, '').length);
    const found = this.operations.find((o) => o.method === request.method && o.pattern.test(path));
    if (!found) return fetch(request);
    this.exchanges++;
    const where = `${request.method} ${path}`;
    const requestText = await request.clone().text();
    const requestOk = this.requestConforms(found, requestText, url);
    const response = await fetch(request);
    const status = String(response.status);
    const documented = found.op.responses?.[status];
    if (!documented) this.violations.push(`${where}: status ${status} is not documented`);
    if (!requestOk && !(response.status >= 400 && response.status < 500)) {
      this.violations.push(`${where}: a request the document forbids was answered ${status}`);
    }
    const type = (response.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
    if (documented?.content) {
      if (!documented.content[type]) this.violations.push(`${where}: ${status} came as ${type || 'no content type'}`);
      else {
        const body = await response.clone().text();
        const validate = this.schema(
          `${found.pointer}/responses/${status}/content/${type.replaceAll('/', '~1')}/schema`,
        );
        if (!validate(body ? JSON.parse(body) : undefined)) {
          this.violations.push(`${where}: ${status} body breaks the schema: ${this.ajv.errorsText(validate.errors)}`);
        }
      }
    }
    return response;
  };

  private requestConforms(found: Operation, text: string, url: URL): boolean {
    const bodyDoc = found.op.requestBody;
    if (text) {
      if (!bodyDoc) return false;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        return false;
      }
      if (!this.schema(`${found.pointer}/requestBody/content/application~1json/schema`)(value)) return false;
    } else if (bodyDoc?.required) return false;
    const known = new Set(
      (found.op.parameters ?? []).filter((p: Json) => p.in === 'query').map((p: Json) => p.name as string),
    );
    return [...url.searchParams.keys()].every((k) => known.has(k));
  }
}

export async function contractFor(apiUrl: string): Promise<ContractChecker> {
  const res = await fetch(`${apiUrl}/v1/openapi.json`);
  if (!res.ok) throw new Error(`GET /v1/openapi.json: HTTP ${res.status}`);
  return new ContractChecker(await res.json(), apiUrl);
}
