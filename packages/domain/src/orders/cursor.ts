import { createHmac, timingSafeEqual } from 'node:crypto';
import { invalid } from '../errors.ts';
import type { OrderPosition } from '../ports.ts';

/**
 * List cursors are sealed: base64url(JSON) + "." + HMAC-SHA256 over it with a platform key. A cursor names the
 * company, the space and a hash of the filters it was made for, so it cannot be forged, edited, or replayed by
 * another company or with other filters.
 */
interface CursorBody {
  readonly v: 1;
  readonly t: string;
  readonly s: boolean;
  readonly f: string;
  readonly p: OrderPosition;
}

export interface CursorScope {
  readonly tenantId: string;
  readonly sandbox: boolean;
  /** A stable string of the filters the cursor belongs to. */
  readonly filters: string;
}

const mac = (key: Uint8Array, payload: string) => createHmac('sha256', key).update(payload).digest();

export function sealCursor(key: Uint8Array, scope: CursorScope, position: OrderPosition): string {
  const body: CursorBody = { v: 1, t: scope.tenantId, s: scope.sandbox, f: scope.filters, p: position };
  const payload = Buffer.from(JSON.stringify(body)).toString('base64url');
  return `${payload}.${mac(key, payload).toString('base64url')}`;
}

export function openCursor(key: Uint8Array, scope: CursorScope, cursor: string): OrderPosition {
  const refuse = () =>
    invalid('The cursor is not valid for this list; start again without a cursor.', [
      { path: 'cursor', message: 'not a cursor of this list' },
    ]);
  const [payload, signature, extra] = cursor.split('.');
  if (!payload || !signature || extra !== undefined) throw refuse();
  const expected = mac(key, payload);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw refuse();
  let body: CursorBody;
  try {
    body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as CursorBody;
  } catch {
    throw refuse();
  }
  if (body.v !== 1 || body.t !== scope.tenantId || body.s !== scope.sandbox || body.f !== scope.filters) throw refuse();
  return body.p;
}
