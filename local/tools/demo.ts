import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from '../cloud/cloud.ts';
import { ClientsApi, waitFor } from './clients-api.ts';
import { torusStl } from './sample-models.ts';

/**
 * `npm run demo [-- FILE] [-- --alloy ag925]` against a running `npm start`: creates an order with the demo key,
 * uploads the model in presigned parts straight to S3, completes it and waits for the quote.
 */
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { alloy: { type: 'string', default: 'au750y' }, api: { type: 'string', default: 'http://127.0.0.1:4500' } },
});
const demo = JSON.parse(await readFile(join(ROOT, '.local/demo.json'), 'utf8').catch(() => '{}')) as {
  apiKey?: string;
};
if (!demo.apiKey) {
  console.error('No demo key: start the local cloud first with `npm start`.');
  process.exit(1);
}
const file = positionals[0];
const bytes = file ? new Uint8Array(await readFile(file)) : torusStl(9, 1.2, 96, 32);
const api = new ClientsApi(values.api, demo.apiKey);

const created = await api.request('POST', '/v1/orders', {
  reference: 'DEMO-1',
  dueDate: new Date(Date.now() + 21 * 86_400_000).toISOString().slice(0, 10),
  items: [{ alloy: values.alloy, quantity: 1 }],
  file: { name: file ? file.split('/').pop() : 'demo-ring.stl', size: bytes.length },
});
if (created.status !== 201) {
  console.error(`Create failed: HTTP ${created.status}`, created.body);
  process.exit(1);
}
const { order, upload } = created.body;
console.log(`1. created ${order.id}: ${upload.parts.length} presigned part URL(s) of ${upload.partSize} bytes`);
const parts = await ClientsApi.uploadParts(bytes, upload);
console.log(`2. uploaded ${bytes.length} bytes straight to S3`);
const completed = await api.request('POST', upload.completeUrl, { parts });
console.log(`3. upload completed: the order is ${completed.body.order?.status ?? `HTTP ${completed.status}`}`);
const final = await waitFor(
  'the calculation',
  async () => {
    const { body } = await api.request('GET', `/v1/orders/${order.id}`);
    if (body.order.status === 'calculating' && body.order.progress)
      process.stdout.write(`   ${body.order.progress.stage} ${body.order.progress.percent}%\r`);
    return ['quoted', 'rejected', 'failed'].includes(body.order.status) ? body.order : undefined;
  },
  600_000,
  500,
);
console.log(`4. ${final.status}`);
console.log(JSON.stringify(final, null, 2));
