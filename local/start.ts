import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT, startLocalCloud } from './cloud/cloud.ts';

/** `npm start [-- --fresh] [-- --workers N]`: the whole system on this machine. */
const { values } = parseArgs({
  options: {
    fresh: { type: 'boolean', default: false },
    workers: { type: 'string', default: '2' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(
    'npm start [-- --fresh] [-- --workers N]\n  --fresh      wipe .local/ first\n  --workers N  calculator processes (default 2)',
  );
  process.exit(0);
}

const cloud = await startLocalCloud({
  dataDir: join(ROOT, '.local'),
  fresh: values.fresh,
  workers: Number(values.workers),
  ports: { api: 4500, outbox: 4501, dynamodb: 4502, sqs: 4503, s3: 4504, site: 4505, identity: 4506 },
  env: process.env.WEBHOOK_BACKOFF_SECONDS ? { WEBHOOK_BACKOFF_SECONDS: process.env.WEBHOOK_BACKOFF_SECONDS } : {},
});

const curl = `curl -s -X POST ${cloud.apiUrl}/v1/orders -H 'x-api-key: ${cloud.demo.apiKey}' -H 'content-type: application/json' -d '{"dueDate":"2030-01-31","items":[{"alloy":"au750y","quantity":1}],"file":{"name":"ring.stl","size":684}}'`;
console.log(`
Facet is running locally.

  API (Clients, /v1)     ${cloud.apiUrl}
  API docs               ${cloud.apiUrl}/docs   (OpenAPI: ${cloud.apiUrl}/v1/openapi.json)
  Email outbox           ${cloud.outboxUrl}
  Webhook inbox          ${cloud.webhookInboxUrl}<name>   (register it as a webhook URL; received ones show in the outbox)
  Demo B2B API key       ${cloud.demo.apiKey}   (tenant ${cloud.demo.tenantId})
  Demo sandbox key       ${cloud.demo.sandboxApiKey}   (calculated and quoted, never produced or billed)
  Operators' MES         ${cloud.operatorsSiteUrl}
${cloud.identity.users.map((u) => `    sign in as           ${u.email.padEnd(22)} ${u.password}   (${u.groups.join(', ')})`).join('\n')}
  Routes                 ${cloud.routeTable.map((r) => `${r.method} ${r.path}`).join(' | ')}
  Data                   ${join(ROOT, '.local')}  (npm start -- --fresh starts over)

Create an order:
  ${curl}

Then upload the model and watch it get quoted: see "Try it" in README.md (or: npm run demo).
Ctrl-C stops everything.
`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping…');
    void cloud.stop().then(() => process.exit(0));
  });
}
