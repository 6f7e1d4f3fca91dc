import type { APIGatewayProxyEvent } from 'aws-lambda';

/**
 * The URL the caller reached the API at: scheme and host from the request, plus the stage prefix API Gateway
 * keeps in requestContext.path (`/prod/v1/…` on the execute-api host, nothing on a custom domain or locally).
 */
export function baseUrlOf(event: APIGatewayProxyEvent): string {
  const header = (name: string) =>
    Object.entries(event.headers ?? {}).find(([k]) => k.toLowerCase() === name)?.[1] ?? undefined;
  const host = header('host') ?? 'localhost';
  const proto =
    header('x-forwarded-proto') ?? (host.startsWith('127.0.0.1') || host.startsWith('localhost') ? 'http' : 'https');
  const full = event.requestContext?.path ?? event.path;
  const prefix = full.endsWith(event.path) ? full.slice(0, full.length - event.path.length) : '';
  return `${proto}://${host}${prefix}`;
}
