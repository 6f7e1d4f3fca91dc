import { type OrderEvent, orderEvent } from '@facet/contracts';
import type { SQSRecord } from 'aws-lambda';

/** An order event from an SQS record, whether SNS wrapped it in its envelope or delivered it raw. */
export function orderEventFromRecord(record: SQSRecord): OrderEvent {
  const body: unknown = JSON.parse(record.body);
  const payload =
    typeof body === 'object' && body !== null && (body as { Type?: unknown }).Type === 'Notification'
      ? JSON.parse(String((body as { Message: unknown }).Message))
      : body;
  return orderEvent.parse(payload);
}
