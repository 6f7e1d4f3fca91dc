import { dynamoClient, s3Client } from '@facet/adapters/aws-clients';
import { DynamoOrderStore } from '@facet/adapters/dynamo-order-store';
import { DynamoTenantStore } from '@facet/adapters/dynamo-tenant-store';
import { S3BlobStore } from '@facet/adapters/s3-blob-store';
import { thumbnailColor } from '@facet/calculation/thumbnail-color';
import { PRODUCTION_STAGE_IDS } from '@facet/contracts';
import { eventFor, type Order } from '@facet/domain/order';
import { renderThumbnail } from '@facet/geometry/render';
import { ringBand, torus } from '@facet/geometry/shapes';
import { ring50k } from '../../packages/geometry/bench/meshes.ts';

/**
 * Open orders for the board benchmark and the board's picture: written through the order store with their events,
 * as the API's use cases write them, so the outbox publishes them and the projector builds their cards. The SDK
 * clients read the local cloud's endpoints from the environment (a tool or a test of one local cloud).
 */
const ALLOYS = ['au750y', 'au750w', 'au585r', 'ag925', 'pt950'] as const;
const NAMES = ['Atelier Lune', 'Goldhaus Berg', 'Maison Orfevre', 'Nordic Rings', 'Casa Aurea', 'Silverline'];

/**
 * The seeded orders' models, as the calculator pictures them: a plain band, a comfort-fit band that swells at the
 * top and a signet-like band. Each calculated order shows one of them in its alloy's colour (pictures shared).
 */
const SHAPES = [
  () => torus(9, 1.2, 192, 32),
  ring50k,
  () => ringBand(8.5, 2.4, 720, (u) => 1 + 3 * Math.max(0, Math.cos(2 * Math.PI * u)) ** 4),
] as const;
const alloyOf = (i: number) => ALLOYS[i % ALLOYS.length] ?? 'au750y';
const thumbnailKey = (alloy: string, shape: number) => `seed/thumbnails/${alloy}-ring-${shape}.png`;

/** An open order somewhere on the board: mostly in production, some quoted, confirmed, failed or rejected. */
export function seedOrder(i: number, now: number, companies: number): Order {
  const tenantId = `ten_bench${String(i % companies).padStart(2, '0')}`;
  const created = new Date(now - (i % 500) * 3_600_000).toISOString();
  const due = new Date(now + ((i % 60) - 10) * 86_400_000).toISOString().slice(0, 10);
  const roll = i % 20;
  const status =
    roll < 12
      ? 'in_production'
      : roll < 15
        ? 'quoted'
        : roll < 17
          ? 'confirmed'
          : roll < 19
            ? 'awaiting_upload'
            : 'failed';
  const stage = PRODUCTION_STAGE_IDS[i % PRODUCTION_STAGE_IDS.length] ?? PRODUCTION_STAGE_IDS[0];
  const quote = { currency: 'EUR', total: 420 + (i % 300), validUntil: due, lines: [] };
  return {
    tenantId,
    id: `ord_bench${String(i).padStart(6, '0')}`,
    reference: `PO-${10_000 + i}`,
    status,
    version: 1,
    dueDate: due,
    items: [
      {
        alloy: alloyOf(i),
        quantity: 1 + (i % 3),
        ringSize: { system: 'EU', size: 48 + (i % 16) },
      },
    ],
    file: {
      id: `file_${i}`,
      name: 'ring.stl',
      size: 1000,
      key: `tenants/${tenantId}/orders/${i}/model`,
      uploadId: 'u',
      partSize: 8_388_608,
    },
    ...(status === 'failed' ? { failureReason: 'The calculation stopped: the model could not be read.' } : {}),
    ...(status !== 'awaiting_upload' && status !== 'failed'
      ? {
          result: {
            reportKey: 'r',
            thumbnailKey: thumbnailKey(alloyOf(i), i % SHAPES.length),
            quote,
            metrics: { volumeMm3: 400, areaMm2: 900, boundingBoxMm: [20, 20, 4], triangles: 50_000, weightGrams: 6.4 },
          },
        }
      : {}),
    ...(status === 'in_production' ? { production: { stage, stageStartedAt: created } } : {}),
    ...(status === 'in_production' || status === 'confirmed'
      ? { confirmation: { at: created, total: quote.total, currency: 'EUR', manufactureAnyway: false } }
      : {}),
    history: [{ status, at: created }],
    correlationId: `bench-${i}`,
    createdAt: created,
    updatedAt: created,
  };
}

export async function seedBoard(
  { tableName, bucketName }: { tableName: string; bucketName: string },
  count: number,
  companies: number,
  concurrency = 16,
): Promise<void> {
  const blobs = new S3BlobStore(s3Client(true), bucketName);
  for (const [i, shape] of SHAPES.entries()) {
    const mesh = shape();
    for (const alloy of ALLOYS) {
      const png = renderThumbnail(mesh, { size: 256, color: thumbnailColor(alloy) });
      await blobs.put(thumbnailKey(alloy, i), png, 'image/png');
    }
  }
  const db = dynamoClient();
  const orders = new DynamoOrderStore(db, tableName);
  const tenants = new DynamoTenantStore(db, tableName);
  for (let c = 0; c < companies; c++) {
    const id = `ten_bench${String(c).padStart(2, '0')}`;
    const name = NAMES[c % NAMES.length] ?? 'Atelier';
    await tenants.putTenant({
      id,
      name: c < NAMES.length ? name : `${name} ${c}`,
      notificationEmail: `orders+${c}@example.com`,
    });
  }
  const now = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const order = seedOrder(next++, now, companies);
        await orders.create(order, eventFor(order, order.createdAt));
      }
    }),
  );
}
