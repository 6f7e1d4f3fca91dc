import { apiGatewayUsageMeter } from '@facet/adapters/usage-plan';
import { loadEnv, type UsageView, usageEnv } from '@facet/contracts';
import { routeHandler } from '../shared/api/bundle.ts';

const env = loadEnv(usageEnv);
const meter = apiGatewayUsageMeter(env.USAGE_PLAN_NAME);

/** GET /v1/usage — the calling key's usage plan and its use today (UTC), as the gateway meters it. */
export const handler = routeHandler('GetUsage', async ({ caller, event }) => {
  const usageKeyId = String(event.requestContext.authorizer?.usageKeyId ?? '');
  const now = new Date();
  const day = now.toISOString().slice(0, 10);
  const usage = await meter.usageOn(usageKeyId, day);
  const body: UsageView = {
    key: { kind: caller.sandbox ? 'sandbox' : 'live' },
    plan: {
      rateLimitPerSecond: usage.plan.rateLimit,
      burstLimit: usage.plan.burstLimit,
      quotaPerDay: usage.plan.quotaPerDay,
    },
    today: {
      date: day,
      used: usage.used,
      remaining: usage.remaining,
      resetsAt: new Date(Date.parse(day) + 86_400_000).toISOString(),
    },
  };
  return { status: 200, body, headers: { 'cache-control': 'no-store' } };
});
