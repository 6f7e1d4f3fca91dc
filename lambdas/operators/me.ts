import { routeHandler } from '../shared/api/bundle.ts';

/** GET /ops/me — the signed-in operator, as the authorizer vouched for them (the site shows admins more). */
export const handler = routeHandler('OperatorsMe', async ({ operator, event }) => ({
  status: 200,
  headers: { 'cache-control': 'no-store' },
  body: {
    sub: operator.sub,
    email: operator.email,
    role: operator.role,
    groups: String(event.requestContext.authorizer?.groups ?? '')
      .split(',')
      .filter(Boolean),
  },
}));
