import { notifierDeps } from '@facet/adapters';
import { emailNotifierEnv, loadEnv } from '@facet/contracts';
import { notifyByEmail } from '@facet/domain/orders/notify-email';
import { eventKeys, sqsRecordHandler } from '../shared/events-bundle.ts';
import { orderEventFromRecord } from '../shared/sqs.ts';

const env = loadEnv(emailNotifierEnv);
const deps = notifierDeps(env);

/** Order events → email (SES on AWS, the outbox locally); a record whose email was not sent comes back. */
export const handler = sqsRecordHandler({
  parse: orderEventFromRecord,
  keys: eventKeys,
  handle: async (event, { log }) => {
    const outcome = await notifyByEmail(deps, event);
    log.info('email notification', { type: event.type, outcome });
  },
});
