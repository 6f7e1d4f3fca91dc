import type { OrderAction } from '@facet/contracts/operators';
import { conflict, DomainError, invalid, notFound } from '../errors.ts';
import { change, type Order, type OrderProduction, transition } from '../order.ts';
import { HELD_EVENT, RESUMED_EVENT, STAGE_CHANGED_EVENT, WEIGHED_EVENT } from '../order-states.ts';
import type { OrderStore } from '../ports.ts';
import { PRODUCTION_STAGES, type ProductionStage } from '../production-plan.ts';
import { actorOf, type Operator } from './operator.ts';

export interface ProductionDeps {
  readonly orders: OrderStore;
  readonly clock: () => Date;
}

const LAST_STAGE: ProductionStage = 'pack_ship';
const label = (stage: ProductionStage) => PRODUCTION_STAGES.find((s) => s.id === stage)?.label ?? stage;

/** The stage after `stage`, or undefined after the last one (the order is then shipped, not advanced). */
export function nextStage(stage: ProductionStage): ProductionStage | undefined {
  const i = PRODUCTION_STAGES.findIndex((s) => s.id === stage);
  return PRODUCTION_STAGES[i + 1]?.id;
}

/** Any order, whatever its company (the workshop sees them all); the tenant is looked up, never taken from a caller. */
export async function findOrder(orders: OrderStore, orderId: string): Promise<Order> {
  const tenantId = await orders.locate(orderId);
  const order = tenantId ? await orders.get(tenantId, orderId) : undefined;
  if (!order || order.sandbox) throw notFound(`Order ${orderId}`);
  return order;
}

/** Where the operator's copy went stale: someone else moved the order since they looked at it. */
export function assertVersion(order: Order, expectedVersion: number): void {
  if (order.version !== expectedVersion) {
    throw new DomainError(
      'conflict',
      `Order ${order.reference ?? order.id} was changed meanwhile (now version ${order.version}, you saw ${expectedVersion}); look again and retry.`,
      [],
      { currentVersion: order.version },
    );
  }
}

function inProduction(order: Order): OrderProduction {
  if (order.status !== 'in_production' || !order.production) {
    throw conflict(`Order ${order.reference ?? order.id} is ${order.status.replace('_', ' ')}, not in production.`);
  }
  return order.production;
}

function notHeld(order: Order, production: OrderProduction): void {
  if (production.hold) {
    throw conflict(`Order ${order.reference ?? order.id} is on hold (${production.hold.reason}); resume it first.`);
  }
}

/**
 * One production action of an operator on one order: each is one transition (or one same-status change) of the
 * order with one event, written conditionally on the version the operator saw, so B2B webhooks, emails, the
 * clients' tracking and the board all see the real stage.
 */
export async function applyOrderAction(
  deps: ProductionDeps,
  operator: Operator,
  orderId: string,
  action: OrderAction,
  expectedVersion: number,
): Promise<Order> {
  const order = await findOrder(deps.orders, orderId);
  assertVersion(order, expectedVersion);
  const now = deps.clock();
  const at = now.toISOString();
  const actor = actorOf(operator);
  const step = ((): ReturnType<typeof change> => {
    switch (action.type) {
      case 'start':
        return transition(
          order,
          'in_production',
          { production: { ...order.production, stage: 'print', stageStartedAt: at } },
          now,
          undefined,
          actor,
        );
      case 'advance': {
        const production = inProduction(order);
        notHeld(order, production);
        // Until the pieces are cut from it, the tree moves its orders (trees.ts).
        if (production.treeId && ['print', 'tree_invest', 'burnout_cast'].includes(production.stage)) {
          throw conflict(
            `Order ${order.reference ?? order.id} is cast in tree ${production.treeId}: advance the tree.`,
          );
        }
        const next = nextStage(production.stage);
        if (!next) throw conflict(`Order ${order.reference ?? order.id} is at the last stage: ship it.`);
        return change(
          order,
          { production: { ...production, stage: next, stageStartedAt: at } },
          now,
          STAGE_CHANGED_EVENT,
          actor,
        );
      }
      case 'hold': {
        const production = inProduction(order);
        notHeld(order, production);
        const hold = { reason: action.reason, at, by: operator.email };
        return change(order, { production: { ...production, hold } }, now, HELD_EVENT, actor);
      }
      case 'resume': {
        const production = inProduction(order);
        if (!production.hold) throw conflict(`Order ${order.reference ?? order.id} is not on hold.`);
        const { hold: _released, ...rest } = production;
        return change(order, { production: rest }, now, RESUMED_EVENT, actor);
      }
      case 'record-weights': {
        const production = inProduction(order);
        if (action.gramsOut > action.gramsIn) {
          throw invalid('More metal came out than went in: check the scale and the numbers.', [
            { path: 'action.gramsOut', message: 'must not exceed gramsIn' },
          ]);
        }
        const weights = [
          ...(production.weights ?? []).filter((w) => w.point !== action.point),
          { point: action.point, gramsIn: action.gramsIn, gramsOut: action.gramsOut, at },
        ];
        return change(order, { production: { ...production, weights } }, now, WEIGHED_EVENT, actor);
      }
      case 'ship': {
        const production = inProduction(order);
        notHeld(order, production);
        if (production.stage !== LAST_STAGE) {
          throw conflict(
            `Order ${order.reference ?? order.id} is at ${label(production.stage)}; it ships from ${label(LAST_STAGE)}.`,
          );
        }
        const shipment = { carrier: action.carrier, trackingNumber: action.trackingNumber, at };
        return transition(order, 'shipped', { production: { ...production, shipment } }, now, undefined, actor);
      }
      case 'deliver':
        return transition(order, 'delivered', {}, now, undefined, actor);
      case 'rerun':
        if (order.status !== 'failed') {
          throw conflict(
            `Only a failed calculation can be re-run; order ${order.reference ?? order.id} is ${order.status}.`,
          );
        }
        return transition(order, 'queued', { failureReason: undefined }, now, undefined, actor);
    }
  })();
  await deps.orders.save(step.order, order.version, step.event);
  return step.order;
}
