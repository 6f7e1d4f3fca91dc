import { z } from 'zod';

/**
 * The deployment configuration: its schema, the stage defaults, and the rules a combination must pass. bin/facet.ts
 * reads CDK context once and calls `readConfig`; the stacks get plain values from it (STYLE practice 8: no
 * `process.env` in lib/). Values come from CDK context (`cdk synth -c stage=prod -c alarmEmail=ops@…`) layered over
 * the defaults of the named stage. Nothing here looks anything up, so `cdk synth` works offline. It lives in lib/ so
 * that the stacks take their config type from beside them, not from the app entry above them.
 */
export const facetConfig = z.object({
  /** Short stage name; prefixes the stack names (`Facet-dev-Data`). */
  stage: z.string().regex(/^[a-z][a-z0-9-]{1,15}$/),
  /** Account and region to pin the stacks to; both omitted means environment-agnostic stacks. */
  account: z
    .string()
    .regex(/^\d{12}$/)
    .optional(),
  region: z.string().min(1).optional(),
  /** Who gets the alarm emails (an SNS email subscription, confirmed from the first message). */
  alarmEmail: z.email().optional(),
  /**
   * Refuse to synthesize without an alarm destination (prod): an alarm topic nobody subscribes to notifies nobody.
   * A stage default only, not a context key.
   */
  alarmDestinationRequired: z.boolean(),
  /** Sender address of order emails (an SES-verified identity on AWS). */
  mailFrom: z.email(),
  logRetentionDays: z.union([
    z.literal(7),
    z.literal(14),
    z.literal(30),
    z.literal(90),
    z.literal(180),
    z.literal(365),
  ]),
  /** Browser origins allowed to PUT presigned upload parts straight to S3. */
  uploadOrigins: z.array(z.string().min(1)).min(1),
  /** Retain (prod) or destroy (dev) the table and bucket when the stack is deleted. */
  retainData: z.boolean(),
  api: z.object({
    /**
     * The stage's default method throttle: the API's total capacity per method, shared by every caller together
     * (API Gateway applies stage limits to all clients of a method, plan limits to each API key). Must stay above
     * one company's plan, or a single company can starve all the others, and within the account's regional limit.
     */
    stage: z.object({ rateLimit: z.number().int().positive(), burstLimit: z.number().int().positive() }),
    /** One company's usage plan: its own throttle per API key and its daily quota. */
    plan: z.object({
      rateLimit: z.number().int().positive(),
      burstLimit: z.number().int().positive(),
      quotaPerDay: z.number().int().positive(),
    }),
    /**
     * A WAF web ACL on the stage (fixed monthly cost, so off in dev): managed rule groups, a rate rule per API key
     * sized from the plan, and a looser one per client IP for floods that send no key or made-up keys.
     */
    waf: z.object({
      enabled: z.boolean(),
      /** The rate rules' evaluation window (WAF accepts 60, 120, 300 or 600 s); also the Retry-After of a block. */
      windowSeconds: z.union([z.literal(60), z.literal(120), z.literal(300), z.literal(600)]),
      /**
       * How far above what its plan lets through (rate × window + burst) one key may send in a window before WAF
       * blocks it; requests its plan answers 429 count too, so a client that honours Retry-After never gets near.
       */
      keyHeadroom: z.number().min(1.5).max(10),
      /** Requests per window from one IP address, whatever keys it sends; at least one key's limit. */
      ipRequestsPerWindow: z.number().int().min(10),
    }),
  }),
  worker: z.object({
    /** Floor and ceiling of calculator tasks; a floor of 0 scales to zero when the queue is empty. */
    minTasks: z.number().int().min(0),
    maxTasks: z.number().int().min(1),
    /**
     * The task's CPU architecture (and the image's platform). ARM64 is the cheaper on-demand vCPU; x86_64 is the
     * only one FARGATE_SPOT runs (docs/adr/0007).
     */
    cpuArchitecture: z.enum(['arm64', 'x86_64']),
    /**
     * Use FARGATE_SPOT for all tasks above `minTasks` (the floor stays on on-demand FARGATE). Fargate Spot runs
     * only X86_64 Linux tasks, so this needs `cpuArchitecture: x86_64`.
     */
    spot: z.boolean(),
    cpu: z.union([z.literal(1024), z.literal(2048), z.literal(4096)]),
    /** Fargate: 1 vCPU → 2–8 GiB, 2 vCPU → 4–16 GiB, 4 vCPU → 8–30 GiB, in 1 GiB steps. */
    memoryMiB: z.number().int().multipleOf(1024),
    /** Parallel jobs per task (WORKER_CONCURRENCY); one per vCPU for a CPU-bound worker. */
    concurrency: z.number().int().min(1).max(16),
    /** Jobs waiting per running task at which one more task starts, and at which a burst of tasks starts. */
    scaleOutBacklogPerTask: z.number().positive(),
    burstBacklogPerTask: z.number().positive(),
  }),
});

export type FacetConfig = z.infer<typeof facetConfig>;

const base = {
  mailFrom: 'orders@facet-jewelry.com',
  uploadOrigins: ['*'],
};
const api = {
  // 20 companies at their full plan rate on one method at once; well inside the account's 10,000 / 5,000.
  stage: { rateLimit: 1_000, burstLimit: 2_000 },
  plan: { rateLimit: 50, burstLimit: 100, quotaPerDay: 10_000 },
};
// Per minute: one key may send 2 × (50 × 60 + 100) = 6,200 requests; one address about four such companies.
const waf = { windowSeconds: 60, keyHeadroom: 2, ipRequestsPerWindow: 25_000 } as const;

/** Defaults per stage; context keys override any of them. */
export const stageDefaults: Record<string, Omit<FacetConfig, 'stage'>> = {
  dev: {
    ...base,
    api: { ...api, waf: { ...waf, enabled: false } },
    logRetentionDays: 14,
    retainData: false,
    alarmDestinationRequired: false,
    worker: {
      minTasks: 0,
      maxTasks: 4,
      // ARM64 on demand: cheaper than x86 on demand, and Spot's saving is cents per 1,000 jobs (docs/adr/0007).
      cpuArchitecture: 'arm64',
      spot: false,
      cpu: 1024,
      memoryMiB: 4096,
      concurrency: 1,
      scaleOutBacklogPerTask: 1,
      burstBacklogPerTask: 5,
    },
  },
  prod: {
    ...base,
    api: { ...api, waf: { ...waf, enabled: true } },
    logRetentionDays: 90,
    retainData: true,
    alarmDestinationRequired: true,
    worker: {
      minTasks: 1,
      maxTasks: 20,
      // The on-demand floor runs all month: ARM64 saves ~17 USD/month there, more than Spot saves above it.
      cpuArchitecture: 'arm64',
      spot: false,
      cpu: 2048,
      memoryMiB: 8192,
      concurrency: 2,
      scaleOutBacklogPerTask: 1,
      burstBacklogPerTask: 5,
    },
  },
};

/** Fargate's allowed memory range per CPU size. */
const fargateMemory: Record<FacetConfig['worker']['cpu'], readonly [number, number]> = {
  1024: [2048, 8192],
  2048: [4096, 16384],
  4096: [8192, 30720],
};

/**
 * API Gateway's default throttle per account and region (all APIs together; raised only by a quota request): no
 * stage can usefully promise more (developer guide, "Throttle requests to your REST APIs").
 */
export const accountThrottle = { rateLimit: 10_000, burstLimit: 5_000 } as const;

/**
 * WAF's limit per window for one API key: what the key's plan lets through in a window (rate × window + one burst),
 * times the headroom. WAF counts every request, including those the plan answers 429, so only a client that keeps
 * sending at `keyHeadroom` × its plan for a whole window is blocked.
 */
export function wafKeyLimitPerWindow(api: Pick<FacetConfig['api'], 'plan' | 'waf'>): number {
  const passed = api.plan.rateLimit * api.waf.windowSeconds + api.plan.burstLimit;
  return Math.ceil(passed * api.waf.keyHeadroom);
}

/** Each job runs on an engine thread capped at 3 GiB heap (containers/calculator/src/calculator.ts), plus headroom. */
const memoryPerJobMiB = 3584;

type ContextReader = (key: string) => unknown;

/** Numbers and booleans arrive as strings from `-c key=value`; JSON-ish values are parsed, others kept. */
function fromContext(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  if (/^(true|false|-?\d+(\.\d+)?)$/.test(raw) || raw.startsWith('{') || raw.startsWith('[')) {
    try {
      return JSON.parse(raw);
    } catch {
      return raw;
    }
  }
  return raw;
}

/** Context keys that used to exist: refused with their new name rather than silently ignored. */
const renamedKeys: Record<string, string> = {
  'api.rateLimit': 'api.stage.rateLimit (all callers) or api.plan.rateLimit (per company)',
  'api.burstLimit': 'api.stage.burstLimit (all callers) or api.plan.burstLimit (per company)',
  'api.quotaPerDay': 'api.plan.quotaPerDay',
  'api.waf': 'api.waf.enabled',
  'api.wafRateLimitPer5Minutes': 'api.waf.ipRequestsPerWindow (per api.waf.windowSeconds)',
};

/** Every leaf of a nested default may be overridden by its dotted path (`api.plan.rateLimit`). */
function overrideLeaves(
  defaults: Record<string, unknown>,
  prefix: string,
  read: ContextReader,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(defaults).map(([key, value]) => {
      const path = `${prefix}.${key}`;
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        return [key, overrideLeaves(value as Record<string, unknown>, path, read)];
      }
      const raw = read(path);
      return [key, raw === undefined ? value : fromContext(raw)];
    }),
  );
}

/**
 * Builds the config from CDK context: `stage` picks the defaults, every other top-level key overrides, and dotted
 * keys override single nested values (`-c worker.maxTasks=8`, `-c api.plan.rateLimit=20`). Fails with every wrong
 * field, and on combinations AWS would refuse or that would not do what they say.
 */
export function readConfig(tryGetContext: ContextReader): FacetConfig {
  const stage = String(tryGetContext('stage') ?? 'dev');
  const defaults = stageDefaults[stage] ?? stageDefaults.dev;
  const merged: Record<string, unknown> = { ...structuredClone(defaults), stage };
  for (const key of [
    'account',
    'region',
    'alarmEmail',
    'mailFrom',
    'logRetentionDays',
    'uploadOrigins',
    'retainData',
  ]) {
    const value = tryGetContext(key);
    if (value !== undefined) merged[key] = fromContext(value);
  }
  for (const [old, now] of Object.entries(renamedKeys)) {
    if (tryGetContext(old) !== undefined) throw new Error(`Invalid Facet config: ${old} is now ${now}`);
  }
  for (const group of ['api', 'worker'] as const) {
    merged[group] = overrideLeaves(merged[group] as Record<string, unknown>, group, tryGetContext);
  }
  const parsed = facetConfig.safeParse(merged);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid Facet config for stage "${stage}": ${issues}`);
  }
  const { worker, api } = parsed.data;
  for (const limit of ['rateLimit', 'burstLimit'] as const) {
    if (api.stage[limit] <= api.plan[limit]) {
      throw new Error(
        `Invalid Facet config: api.stage.${limit} (${api.stage[limit]}) must exceed api.plan.${limit} (${api.plan[limit]}): the stage limit is shared by all companies, the plan's is each company's own`,
      );
    }
    if (api.stage[limit] > accountThrottle[limit]) {
      throw new Error(
        `Invalid Facet config: api.stage.${limit} (${api.stage[limit]}) exceeds API Gateway's account limit per region (${accountThrottle[limit]})`,
      );
    }
  }
  if (parsed.data.alarmDestinationRequired && !parsed.data.alarmEmail) {
    throw new Error(
      `Invalid Facet config for stage "${stage}": alarms need a destination; pass -c alarmEmail=ops@… (an alarm topic without a subscriber notifies nobody)`,
    );
  }
  if (worker.spot && worker.cpuArchitecture !== 'x86_64') {
    throw new Error(
      `Invalid Facet config: worker.spot needs worker.cpuArchitecture=x86_64 (Fargate Spot runs only X86_64 Linux tasks; an ${worker.cpuArchitecture} task definition could never be placed on FARGATE_SPOT)`,
    );
  }
  if (worker.minTasks > worker.maxTasks) {
    throw new Error(`Invalid Facet config: worker.minTasks (${worker.minTasks}) exceeds worker.maxTasks`);
  }
  const keyLimit = wafKeyLimitPerWindow(api);
  if (api.waf.ipRequestsPerWindow < keyLimit) {
    throw new Error(
      `Invalid Facet config: api.waf.ipRequestsPerWindow (${api.waf.ipRequestsPerWindow}) is below one API key's limit (${keyLimit} per ${api.waf.windowSeconds} s): a company on its own address would be blocked by the IP rule before its key rule`,
    );
  }
  const [minMiB, maxMiB] = fargateMemory[worker.cpu];
  if (worker.memoryMiB < minMiB || worker.memoryMiB > maxMiB) {
    throw new Error(
      `Invalid Facet config: worker.memoryMiB ${worker.memoryMiB} is not valid for ${worker.cpu} CPU units (${minMiB}–${maxMiB})`,
    );
  }
  if (worker.memoryMiB < worker.concurrency * memoryPerJobMiB) {
    throw new Error(
      `Invalid Facet config: worker.memoryMiB ${worker.memoryMiB} is below ${memoryPerJobMiB} MiB per concurrent job (concurrency ${worker.concurrency})`,
    );
  }
  return parsed.data;
}
