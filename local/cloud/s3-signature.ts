import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import { type S3Refusal, s3Refusal } from './s3-refusal.ts';

/**
 * AWS Signature Version 4 as S3 checks it, for the local S3's front (s3rver checks no V4 signature at all). The
 * canonical request, string to sign and signature come from the SDK's own signer (@smithy/signature-v4), fed
 * with exactly what the client signed: the headers it names in SignedHeaders with the values that arrived, the
 * path and query as received, its date and scope. What this module adds is what S3 refuses before and around
 * that comparison: missing or malformed parameters, another key, region or service, expiry, clock skew, x-amz-*
 * headers that were sent but not signed, and what the payload hash promises about the body.
 */

export interface S3Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface IncomingS3Request {
  readonly method: string;
  /** Path and query as received (`/bucket/key?…`). */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
}

/** What the signature says about the body, for the front to check once it has read it. */
export type SignedPayload =
  | { readonly kind: 'unsigned' }
  | { readonly kind: 'sha256'; readonly hex: string }
  /** `aws-chunked` framing with unsigned chunks and checksum trailers (the v3 SDK's streaming uploads). */
  | { readonly kind: 'aws-chunked'; readonly decodedLength: number };

export type Verdict =
  | { readonly ok: true; readonly payload: SignedPayload }
  | { readonly ok: false; readonly refusal: S3Refusal };

const MAX_PRESIGNED_SECONDS = 7 * 24 * 3600;
/** S3 refuses header-signed requests whose date is further than this from its clock. */
const MAX_SKEW_MS = 15 * 60 * 1000;
const ALGORITHM = 'AWS4-HMAC-SHA256';

export class SigV4Verifier {
  constructor(
    private readonly options: {
      readonly credentials: S3Credentials;
      readonly region: string;
      readonly now?: () => number;
    },
  ) {}

  async verify(request: IncomingS3Request): Promise<Verdict> {
    const parsed = parseRequestTarget(request.url);
    if (!parsed) return refused(s3Refusal('InvalidURI', "Couldn't parse the specified URI."));
    const authorization = headerValue(request.headers, 'authorization');
    const presigned = parsed.query.has('X-Amz-Algorithm');
    const v2Query = parsed.query.has('Signature') && parsed.query.has('AWSAccessKeyId');
    if ([authorization !== undefined, presigned, v2Query].filter(Boolean).length > 1) {
      return refused(
        s3Refusal(
          'InvalidArgument',
          'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
        ),
      );
    }
    if (authorization !== undefined) return this.verifyHeader(request, parsed, authorization);
    if (presigned) return this.verifyPresigned(request, parsed);
    if (v2Query) return refused(unsupportedV2());
    return refused(s3Refusal('AccessDenied', 'Access Denied'));
  }

  private async verifyHeader(
    request: IncomingS3Request,
    target: RequestTarget,
    authorization: string,
  ): Promise<Verdict> {
    const malformed = (message: string) => refused(s3Refusal('AuthorizationHeaderMalformed', message));
    if (/^AWS /.test(authorization)) return refused(unsupportedV2());
    if (!authorization.startsWith(`${ALGORITHM} `)) {
      return refused(s3Refusal('InvalidArgument', 'Unsupported Authorization Type', { ArgumentName: 'Authorization' }));
    }
    const fields = new Map(
      authorization
        .slice(ALGORITHM.length + 1)
        .split(',')
        .map((field) => {
          const at = field.indexOf('=');
          return [field.slice(0, at).trim(), field.slice(at + 1).trim()] as const;
        }),
    );
    const credential = fields.get('Credential');
    const signedHeaders = fields.get('SignedHeaders');
    const signature = fields.get('Signature');
    if (!credential || !signedHeaders || !signature) {
      return malformed(
        'The authorization header is malformed; the authorization header requires three components: Credential, SignedHeaders, and Signature.',
      );
    }
    const amzDate = headerValue(request.headers, 'x-amz-date');
    const date = amzDate === undefined ? undefined : parseAmzDate(amzDate);
    if (date === undefined) {
      return refused(s3Refusal('AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header'));
    }
    const scope = this.checkScope(credential, amzDate ?? '', 'AuthorizationHeaderMalformed');
    if ('refusal' in scope) return refused(scope.refusal);
    const now = this.now();
    if (Math.abs(now - date) > MAX_SKEW_MS) {
      return refused(
        s3Refusal(
          'RequestTimeTooSkewed',
          'The difference between the request time and the current time is too large.',
          {
            RequestTime: amzDate ?? '',
            ServerTime: isoSeconds(now),
            MaxAllowedSkewMilliseconds: String(MAX_SKEW_MS),
          },
        ),
      );
    }
    const names = signedHeaders.split(';');
    const headersProblem = checkSignedHeaders(request.headers, names, 'AuthorizationHeaderMalformed');
    if (headersProblem) return refused(headersProblem);
    const contentSha = headerValue(request.headers, 'x-amz-content-sha256');
    if (contentSha === undefined) {
      return refused(s3Refusal('InvalidRequest', 'Missing required header for this request: x-amz-content-sha256'));
    }
    const payload = classifyPayload(contentSha, request.headers);
    if ('refusal' in payload) return refused(payload.refusal);

    const signer = new RecordingSigner(this.options.credentials, scope.region);
    const signed = await signer.sign(
      {
        method: request.method,
        protocol: 'http:',
        hostname: 'localhost',
        path: target.canonicalPath,
        query: target.queryBag,
        headers: pickHeaders(request.headers, names),
      },
      {
        signingDate: new Date(date),
        signableHeaders: new Set(names),
        signingRegion: scope.region,
        signingService: 's3',
      },
    );
    const computed = /Signature=([0-9a-f]+)/.exec(String(signed.headers.authorization))?.[1];
    if (computed !== signature) return refused(signer.mismatch(this.options.credentials.accessKeyId, signature));
    return { ok: true, payload: payload.payload };
  }

  private async verifyPresigned(request: IncomingS3Request, target: RequestTarget): Promise<Verdict> {
    const malformed = (message: string) => refused(s3Refusal('AuthorizationQueryParametersError', message));
    const q = target.query;
    if (q.get('X-Amz-Algorithm') !== ALGORITHM) return malformed(`X-Amz-Algorithm only supports "${ALGORITHM}"`);
    const required = ['X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-Date', 'X-Amz-SignedHeaders', 'X-Amz-Expires'];
    if (required.some((name) => !q.get(name))) {
      return malformed(
        'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
      );
    }
    const amzDate = q.get('X-Amz-Date') ?? '';
    const date = parseAmzDate(amzDate);
    if (date === undefined) return malformed("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
    const expiresText = q.get('X-Amz-Expires') ?? '';
    const expires = /^\d+$/.test(expiresText) ? Number(expiresText) : Number.NaN;
    if (Number.isNaN(expires)) return malformed('X-Amz-Expires should be a number');
    if (expires > MAX_PRESIGNED_SECONDS) {
      return malformed(
        'X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds',
      );
    }
    const scope = this.checkScope(q.get('X-Amz-Credential') ?? '', amzDate, 'AuthorizationQueryParametersError');
    if ('refusal' in scope) return refused(scope.refusal);
    const now = this.now();
    if (now > date + expires * 1000) {
      return refused(
        s3Refusal('AccessDenied', 'Request has expired', {
          'X-Amz-Expires': expiresText,
          Expires: isoSeconds(date + expires * 1000),
          ServerTime: isoSeconds(now),
        }),
      );
    }
    if (date - now > MAX_SKEW_MS) return refused(s3Refusal('AccessDenied', 'Request is not valid yet'));
    const names = (q.get('X-Amz-SignedHeaders') ?? '').split(';');
    const headersProblem = checkSignedHeaders(request.headers, names, 'AuthorizationQueryParametersError');
    if (headersProblem) return refused(headersProblem);
    // A presigned request's body is unsigned unless the URL carries a hash for it.
    const contentSha = q.get('X-Amz-Content-Sha256') ?? undefined;
    const payload = classifyPayload(contentSha ?? 'UNSIGNED-PAYLOAD', request.headers);
    if ('refusal' in payload) return refused(payload.refusal);

    // The signer writes the X-Amz-* parameters itself from the date, scope and expiry checked above; the payload
    // hash parameter goes in as the header the presigner hoists into the query, as the SDK's presigner does.
    const { 'X-Amz-Signature': _, 'X-Amz-Content-Sha256': __, ...query } = target.queryBag;
    const headers = pickHeaders(request.headers, names);
    if (contentSha !== undefined) headers['X-Amz-Content-Sha256'] = contentSha;
    const signer = new RecordingSigner(this.options.credentials, scope.region);
    const signed = await signer.presign(
      {
        method: request.method,
        protocol: 'http:',
        hostname: 'localhost',
        path: target.canonicalPath,
        query,
        headers,
        // Neither a string nor bytes: the signer then takes the payload as UNSIGNED-PAYLOAD.
        body: contentSha === undefined ? STREAMED_BODY : undefined,
      },
      {
        signingDate: new Date(date),
        expiresIn: expires,
        signableHeaders: new Set(names),
        unhoistableHeaders: new Set(names),
        signingRegion: scope.region,
        signingService: 's3',
      },
    );
    const provided = q.get('X-Amz-Signature') ?? '';
    if (signed.query?.['X-Amz-Signature'] !== provided) {
      return refused(signer.mismatch(this.options.credentials.accessKeyId, provided));
    }
    return { ok: true, payload: payload.payload };
  }

  /** `<key>/<yyyymmdd>/<region>/s3/aws4_request`, naming our key, our region and the request's own day. */
  private checkScope(
    credential: string,
    amzDate: string,
    malformedCode: string,
  ): { region: string } | { refusal: S3Refusal } {
    const [accessKeyId, day, region, service, terminator, ...rest] = credential.split('/');
    const malformed = (message: string) => ({ refusal: s3Refusal(malformedCode, message) });
    if (!accessKeyId || !day || !region || !service || terminator !== 'aws4_request' || rest.length > 0) {
      return malformed(
        'Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".',
      );
    }
    if (accessKeyId !== this.options.credentials.accessKeyId) {
      return {
        refusal: s3Refusal('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', {
          AWSAccessKeyId: accessKeyId,
        }),
      };
    }
    if (day !== amzDate.slice(0, 8)) return malformed('Invalid credential date. Date is not the same as X-Amz-Date.');
    if (region !== this.options.region) {
      return malformed(
        `The authorization header is malformed; the region '${region}' is wrong; expecting '${this.options.region}'`,
      );
    }
    if (service !== 's3')
      return malformed(
        `The authorization header is malformed; incorrect service "${service}". This endpoint belongs to "s3".`,
      );
    return { region };
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }
}

interface RequestTarget {
  /** The path as S3 canonicalises it: each segment decoded, then encoded as SigV4 says (RFC 3986). */
  readonly canonicalPath: string;
  readonly query: URLSearchParams;
  readonly queryBag: Record<string, string | string[]>;
}

function parseRequestTarget(url: string): RequestTarget | undefined {
  const at = url.indexOf('?');
  const rawPath = at < 0 ? url : url.slice(0, at);
  const query = new URLSearchParams(at < 0 ? '' : url.slice(at + 1));
  let canonicalPath: string;
  try {
    canonicalPath = rawPath
      .split('/')
      .map((segment) => uriEncode(decodeURIComponent(segment)))
      .join('/');
  } catch {
    return undefined;
  }
  const queryBag: Record<string, string | string[]> = {};
  for (const [name, value] of query) {
    const held = queryBag[name];
    queryBag[name] = held === undefined ? value : [...(Array.isArray(held) ? held : [held]), value];
  }
  return { canonicalPath, query, queryBag };
}

const uriEncode = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * Host must be signed, and every x-amz-* header that arrived must be among the signed ones (S3 refuses a request
 * carrying x-amz-* headers it cannot trust).
 */
function checkSignedHeaders(
  headers: IncomingHttpHeaders,
  names: readonly string[],
  malformedCode: string,
): S3Refusal | undefined {
  if (!names.includes('host'))
    return s3Refusal(malformedCode, 'The host header must be signed (SignedHeaders lacks host).');
  const unsigned = Object.keys(headers).filter((name) => name.startsWith('x-amz-') && !names.includes(name));
  if (unsigned.length > 0) {
    return s3Refusal('AccessDenied', 'There were headers present in the request which were not signed', {
      HeadersNotSigned: unsigned.join(', '),
    });
  }
  return undefined;
}

/** What x-amz-content-sha256 (or a presigned URL's X-Amz-Content-Sha256) promises about the body. */
function classifyPayload(
  value: string,
  headers: IncomingHttpHeaders,
): { payload: SignedPayload } | { refusal: S3Refusal } {
  if (value === 'UNSIGNED-PAYLOAD') return { payload: { kind: 'unsigned' } };
  if (/^[0-9a-f]{64}$/i.test(value)) return { payload: { kind: 'sha256', hex: value.toLowerCase() } };
  if (value === 'STREAMING-UNSIGNED-PAYLOAD-TRAILER') {
    const decoded = headerValue(headers, 'x-amz-decoded-content-length');
    if (decoded === undefined || !/^\d+$/.test(decoded)) {
      return {
        refusal: s3Refusal('MissingContentLength', 'You must provide the Content-Length HTTP header.', {
          Header: 'x-amz-decoded-content-length',
        }),
      };
    }
    return { payload: { kind: 'aws-chunked', decodedLength: Number(decoded) } };
  }
  if (value.startsWith('STREAMING-')) {
    // Signed chunks: valid on S3, but the v3 SDK for JavaScript never sends them (it streams unsigned chunks with a
    // checksum trailer), so the local front does not verify them rather than pass them unchecked.
    return {
      refusal: s3Refusal(
        'NotImplemented',
        `The local S3 does not verify ${value} (signed chunks); send UNSIGNED-PAYLOAD, a SHA-256 of the body, or STREAMING-UNSIGNED-PAYLOAD-TRAILER.`,
      ),
    };
  }
  return {
    refusal: s3Refusal(
      'InvalidArgument',
      'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, or a valid sha256 value.',
      { ArgumentName: 'x-amz-content-sha256', ArgumentValue: value },
    ),
  };
}

/** The signed headers with the values that arrived; one that is missing stays missing (and the signature fails). */
function pickHeaders(headers: IncomingHttpHeaders, names: readonly string[]): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of names) {
    const value = headerValue(headers, name);
    if (value !== undefined) picked[name] = value;
  }
  return picked;
}

export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function parseAmzDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  return Number.isNaN(ms) ? undefined : ms;
}

const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

const refused = (refusal: S3Refusal): Verdict => ({ ok: false, refusal });

const unsupportedV2 = () =>
  s3Refusal(
    'InvalidRequest',
    'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.',
  );

const STREAMED_BODY = Object.freeze({ streamed: true });

type SignableRequest = Parameters<SignatureV4['presign']>[0];

/** SHA-256 and its HMAC for the signer, from node:crypto. */
class NodeSha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

function bytes(data: string | ArrayBuffer | ArrayBufferView): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/** The SDK's signer, keeping the canonical request and string to sign it built (S3 returns both on a mismatch). */
class RecordingSigner extends SignatureV4 {
  private canonicalRequest = '';
  private stringToSign = '';

  constructor(credentials: S3Credentials, region: string) {
    super({ credentials, region, service: 's3', sha256: NodeSha256, uriEscapePath: false, applyChecksum: false });
  }

  protected override createCanonicalRequest(
    request: SignableRequest,
    canonicalHeaders: Record<string, string>,
    payloadHash: string,
  ): string {
    this.canonicalRequest = super.createCanonicalRequest(request, canonicalHeaders, payloadHash);
    return this.canonicalRequest;
  }

  protected override async createStringToSign(
    longDate: string,
    credentialScope: string,
    canonicalRequest: string,
    algorithm: string,
  ): Promise<string> {
    this.stringToSign = await super.createStringToSign(longDate, credentialScope, canonicalRequest, algorithm);
    return this.stringToSign;
  }

  mismatch(accessKeyId: string, provided: string): S3Refusal {
    return s3Refusal(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      {
        AWSAccessKeyId: accessKeyId,
        StringToSign: this.stringToSign,
        SignatureProvided: provided,
        CanonicalRequest: this.canonicalRequest,
      },
    );
  }
}
