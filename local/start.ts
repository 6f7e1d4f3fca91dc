import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type LocalCloud, ROOT, startLocalCloud } from './cloud/cloud.ts';
import { assertPortFree } from './cloud/ports.ts';

/** `npm start [-- --fresh] [-- --workers N] [-- --port-base N]`: the whole system on this machine. */
const { values } = parseArgs({
  options: {
    fresh: { type: 'boolean', default: false },
    workers: { type: 'string', default: '2' },
    'port-base': { type: 'string', default: '4500' },
    data: { type: 'string', default: join(ROOT, '.local') },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(
    'npm start [-- --fresh] [-- --workers N] [-- --port-base N]\n  --fresh        wipe .local/ first\n  --workers N    calculator processes (default 2)\n  --port-base N  the seven ports from N (default 4500: API 4500 … identity 4506)\n  --data DIR     where orders, files and emails persist (default .local/)',
  );
  process.exit(0);
}
const base = Number(values['port-base']);
if (!Number.isInteger(base) || base < 1024 || base > 65_535 - 6) {
  console.error(`--port-base must be a whole number from 1024 to ${65_535 - 6}, not ${values['port-base']}`);
  process.exit(2);
}
const ports = {
  api: base,
  outbox: base + 1,
  dynamodb: base + 2,
  sqs: base + 3,
  s3: base + 4,
  site: base + 5,
  identity: base + 6,
} as const;
const wanted: Record<keyof typeof ports, string> = {
  api: 'the API',
  outbox: 'the outbox',
  dynamodb: 'DynamoDB Local',
  sqs: 'SQS and SNS',
  s3: 'the local S3',
  site: "the operators' site",
  identity: 'the local identity issuer',
};

// Ctrl-C or SIGTERM while starting: whatever has started goes with this process (its children are tied to it).
let cloud: LocalCloud | undefined;
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (!cloud) {
      console.log(`\nStopped while starting (${signal}).`);
      process.exit(130);
    }
    if (stopping) {
      // A second Ctrl-C: no more waiting.
      console.log('Stopped at once (what had not finished was killed).');
      process.exit(130);
    }
    stopping = true;
    void stop(cloud);
  });
}

/** Stops everything within 5 s and says so: the workers release their jobs, then the API, pollers and emulators. */
async function stop(running: LocalCloud): Promise<void> {
  const started = Date.now();
  const seconds = () => ((Date.now() - started) / 1000).toFixed(1);
  console.log('\nStopping: workers release their jobs, then the API, the pollers and the emulators stop …');
  // Whatever hangs, the process goes within 5 s; its children go with it (they are tied to it).
  const deadline = setTimeout(() => {
    console.log(`Stopped after ${seconds()} s (what had not finished was killed).`);
    process.exit(1);
  }, 5000);
  await running.stop();
  clearTimeout(deadline);
  console.log(`Stopped in ${seconds()} s.`);
  process.exit(0);
}

const dataDir = values.data;
// A port already taken is refused before anything starts, naming it and what holds it: never a second instance
// that silently talks to the first one's emulators.
try {
  for (const [name, port] of Object.entries(ports) as [keyof typeof ports, number][]) {
    await assertPortFree(port, wanted[name]);
  }
} catch (error) {
  console.error(`\nThe local cloud did not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
cloud = await startLocalCloud({
  dataDir,
  fresh: values.fresh,
  workers: Number(values.workers),
  ports,
  env: process.env.WEBHOOK_BACKOFF_SECONDS ? { WEBHOOK_BACKOFF_SECONDS: process.env.WEBHOOK_BACKOFF_SECONDS } : {},
}).catch((error: unknown) => {
  // A taken port, a missing Java: one clear line, not a stack trace (what had started is stopped already).
  console.error(`\nThe local cloud did not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
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
  Data                   ${dataDir}  (npm start -- --fresh starts over)

Create an order:
  ${curl}

Then upload the model and watch it get quoted: see "Try it" in README.md (or: npm run demo).
Ctrl-C stops everything.
`);
