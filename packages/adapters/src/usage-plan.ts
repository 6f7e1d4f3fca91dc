import {
  APIGatewayClient,
  CreateApiKeyCommand,
  CreateUsagePlanKeyCommand,
  GetUsageCommand,
  GetUsagePlansCommand,
  UpdateApiKeyCommand,
} from '@aws-sdk/client-api-gateway';
import type { KeyUsage, UsageMeter, UsagePlanRegistry } from '@facet/domain/ports';

/** Company keys as API Gateway API keys on the usage plan, so API Gateway meters and throttles each company. */
export class ApiGatewayUsagePlan implements UsagePlanRegistry {
  constructor(
    private readonly client: APIGatewayClient,
    /** The plan's id, or how to find it (by name, once). */
    private readonly usagePlanId: string | (() => Promise<string>),
  ) {}

  async register(apiKey: string, name: string): Promise<string> {
    const usagePlanId = typeof this.usagePlanId === 'string' ? this.usagePlanId : await this.usagePlanId();
    const { id } = await this.client.send(new CreateApiKeyCommand({ name, value: apiKey, enabled: true }));
    if (!id) throw new Error('API Gateway returned no key id');
    await this.client.send(new CreateUsagePlanKeyCommand({ usagePlanId, keyId: id, keyType: 'API_KEY' }));
    return id;
  }

  async disable(gatewayKeyId: string): Promise<void> {
    await this.client.send(
      new UpdateApiKeyCommand({
        apiKey: gatewayKeyId,
        patchOperations: [{ op: 'replace', path: '/enabled', value: 'false' }],
      }),
    );
  }
}

export const apiGatewayUsagePlan = (usagePlanId: string) =>
  new ApiGatewayUsagePlan(new APIGatewayClient({}), usagePlanId);

/** The registry of the plan with this name (the operators' functions know the name, not the id). */
export function apiGatewayUsagePlanNamed(usagePlanName: string): ApiGatewayUsagePlan {
  const client = new APIGatewayClient({});
  const meter = new ApiGatewayUsageMeter(client, usagePlanName);
  return new ApiGatewayUsagePlan(client, () => meter.planId());
}

/** Reads a key's use from API Gateway's usage plan, found by name once per process. */
export class ApiGatewayUsageMeter implements UsageMeter {
  private plan?: Promise<{ id: string; limits: KeyUsage['plan'] }>;

  constructor(
    private readonly client: APIGatewayClient,
    private readonly usagePlanName: string,
  ) {}

  /** The plan's id, found once (a failed lookup is forgotten, so the next call tries again). */
  async planId(): Promise<string> {
    return (await this.found()).id;
  }

  private found() {
    this.plan ??= this.findPlan().catch((error: unknown) => {
      this.plan = undefined;
      throw error;
    });
    return this.plan;
  }

  async usageOn(usageKeyId: string, day: string): Promise<KeyUsage> {
    const { id, limits } = await this.found();
    const usage = await this.client.send(
      new GetUsageCommand({ usagePlanId: id, keyId: usageKeyId, startDate: day, endDate: day }),
    );
    // No entry yet means no request counted today.
    const [used, remaining] = usage.items?.[usageKeyId]?.[0] ?? [0, limits.quotaPerDay];
    return { plan: limits, used: used ?? 0, remaining: remaining ?? limits.quotaPerDay };
  }

  private async findPlan(): Promise<{ id: string; limits: KeyUsage['plan'] }> {
    let position: string | undefined;
    do {
      const page = await this.client.send(new GetUsagePlansCommand({ limit: 500, ...(position ? { position } : {}) }));
      const plan = page.items?.find((p) => p.name === this.usagePlanName);
      if (plan?.id) {
        return {
          id: plan.id,
          limits: {
            rateLimit: plan.throttle?.rateLimit ?? 0,
            burstLimit: plan.throttle?.burstLimit ?? 0,
            quotaPerDay: plan.quota?.limit ?? 0,
          },
        };
      }
      position = page.position;
    } while (position);
    throw new Error(`no usage plan named ${this.usagePlanName}`);
  }
}

export const apiGatewayUsageMeter = (usagePlanName: string) =>
  new ApiGatewayUsageMeter(new APIGatewayClient({}), usagePlanName);
