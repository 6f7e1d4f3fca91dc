import { s3ErrorXml } from './s3-xml.ts';

/** An answer S3 gives instead of doing the request: its code, message, details and HTTP status. */
export interface S3Refusal {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly detail: Readonly<Record<string, string>>;
}

/** The statuses S3 gives these codes (its error code list); anything else is a 400. */
const STATUS: Readonly<Record<string, number>> = {
  AccessDenied: 403,
  InvalidAccessKeyId: 403,
  SignatureDoesNotMatch: 403,
  RequestTimeTooSkewed: 403,
  MissingContentLength: 411,
  NoSuchUpload: 404,
  InternalError: 500,
  NotImplemented: 501,
  ServiceUnavailable: 503,
};

export function s3Refusal(code: string, message: string, detail: Readonly<Record<string, string>> = {}): S3Refusal {
  return { status: STATUS[code] ?? 400, code, message, detail };
}

export const refusalXml = (refusal: S3Refusal): string => s3ErrorXml(refusal.code, refusal.message, refusal.detail);
