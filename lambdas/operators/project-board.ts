import { boardProjectorDeps } from '@facet/adapters';
import { boardProjectorEnv, loadEnv } from '@facet/contracts';
import { projectEvent } from '@facet/domain/board/projector';
import { eventKeys, sqsRecordHandler } from '../shared/events-bundle.ts';
import { orderEventFromRecord } from '../shared/sqs.ts';

const deps = boardProjectorDeps(loadEnv(boardProjectorEnv));

/** Order events → the board's cards (the operators' read model); a failed record comes back, then the DLQ. */
export const handler = sqsRecordHandler({
  parse: orderEventFromRecord,
  keys: eventKeys,
  handle: async (event, { log }) => {
    log.info('board projection', { type: event.type, outcome: await projectEvent(deps, event) });
  },
});
