import { parseArgs } from 'node:util';
import { tenantStore } from '@facet/adapters';
import { apiGatewayUsagePlan } from '@facet/adapters/usage-plan';
import type { UsagePlanRegistry } from '@facet/domain/ports';
import { createTenant, issueApiKey, revokeApiKey } from '@facet/domain/tenants';
import { stackOutputs, useLocalCloud } from './target.ts';

/**
 * `npm run tenants -- create|list|key-create|key-revoke`: companies and their API keys, with the same domain
 * functions the operators' site will call. Locally against `npm start`; on AWS with `--aws --stage <stage>`, where
 * each key is also registered on the API's usage plan (metering, throttling, quota per company).
 */
const usage = `npm run tenants -- <command> [--aws --stage dev]
  create --name "Aurum Ltd" --email orders@aurum.example   a company and its first live key
  list                                                       companies and their keys
  key-create TENANT [--sandbox]                              another key (shown once)
  key-revoke TENANT KEY_ID                                   refused from the next request on`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      aws: { type: 'boolean', default: false },
      stage: { type: 'string', default: 'dev' },
      name: { type: 'string' },
      email: { type: 'string' },
      sandbox: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  const [command, tenantId, keyId] = positionals;
  if (values.help || !command) {
    console.log(usage);
    return 0;
  }
  let tableName = 'facet-main';
  let registry: UsagePlanRegistry | undefined;
  if (values.aws) {
    tableName = (await stackOutputs(values.stage, 'Data')).TableName ?? '';
    const usagePlanId = (await stackOutputs(values.stage, 'Api')).UsagePlanId ?? '';
    if (!tableName || !usagePlanId)
      throw new Error(`Stage ${values.stage} has no TableName/UsagePlanId outputs: is it deployed?`);
    registry = apiGatewayUsagePlan(usagePlanId);
  } else {
    useLocalCloud();
  }
  const store = tenantStore(tableName);

  switch (command) {
    case 'create': {
      if (!values.name || !values.email) {
        console.error('create needs --name and --email');
        return 2;
      }
      const tenant = await createTenant(store, { name: values.name, notificationEmail: values.email });
      const { keyId: id, apiKey } = await issueApiKey(store, tenant.id, 'live', registry);
      console.log(
        `tenant  ${tenant.id}  ${tenant.name} <${tenant.notificationEmail}>\nkey     ${id}\napi key ${apiKey}   (shown once; stored hashed)`,
      );
      return 0;
    }
    case 'list': {
      for (const t of await store.listTenants()) {
        console.log(`${t.id}  ${t.name} <${t.notificationEmail}>`);
        for (const k of await store.listApiKeys(t.id))
          console.log(`   ${k.keyId}  ${k.kind ?? 'live'}  ${k.status}  ${k.createdAt ?? ''}`);
      }
      return 0;
    }
    case 'key-create': {
      if (!tenantId) return fail('key-create needs TENANT');
      const { keyId: id, apiKey } = await issueApiKey(store, tenantId, values.sandbox ? 'sandbox' : 'live', registry);
      console.log(`key     ${id}\napi key ${apiKey}   (shown once; stored hashed)`);
      return 0;
    }
    case 'key-revoke': {
      if (!tenantId || !keyId) return fail('key-revoke needs TENANT and KEY_ID');
      await revokeApiKey(store, tenantId, keyId, registry);
      console.log(`revoked ${keyId}`);
      return 0;
    }
    default:
      return fail(`unknown command ${command}\n${usage}`);
  }
}

function fail(message: string): number {
  console.error(message);
  return 2;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  run(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
