import {
  APIGatewayClient,
  CreateApiKeyCommand,
  CreateUsagePlanKeyCommand,
  UpdateApiKeyCommand,
} from '@aws-sdk/client-api-gateway';
import type { UsagePlanRegistry } from '@facet/domain/ports';

/** Company keys as API Gateway API keys on the usage plan, so API Gateway meters and throttles each company. */
export class ApiGatewayUsagePlan implements UsagePlanRegistry {
  constructor(
    private readonly client: APIGatewayClient,
    private readonly usagePlanId: string,
  ) {}

  async register(apiKey: string, name: string): Promise<string> {
    const { id } = await this.client.send(new CreateApiKeyCommand({ name, value: apiKey, enabled: true }));
    if (!id) throw new Error('API Gateway returned no key id');
    await this.client.send(
      new CreateUsagePlanKeyCommand({ usagePlanId: this.usagePlanId, keyId: id, keyType: 'API_KEY' }),
    );
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
