import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { JobLoop } from './job-loop.ts';

/** An SQS client that hands out one message, then long-polls empty; it records every command in order. */
function fakeSqs() {
  const sent: string[] = [];
  let delivered = false;
  const client = {
    send: async (command: unknown) => {
      if (command instanceof ReceiveMessageCommand) {
        if (!delivered) {
          delivered = true;
          sent.push('receive');
          return { Messages: [{ MessageId: 'm-1', ReceiptHandle: 'r-1', Body: '{}', Attributes: {} }] };
        }
        await new Promise((r) => setTimeout(r, 5));
        return { Messages: [] };
      }
      if (command instanceof ChangeMessageVisibilityCommand) sent.push(`visibility ${command.input.VisibilityTimeout}`);
      else if (command instanceof DeleteMessageCommand) sent.push('delete');
      return {};
    },
  };
  return { client: client as unknown as SQSClient, sent };
}

describe('JobLoop heartbeat', () => {
  it('beats once at job start, so a job shorter than the interval still counts as a live worker', async () => {
    // Prepare
    const { client, sent } = fakeSqs();
    const events: string[] = [];
    const loop = new JobLoop(
      client,
      {
        queueUrl: 'q',
        visibilitySeconds: 120,
        heartbeatSeconds: 30,
        waitSeconds: 1,
        log: () => undefined,
        onHeartbeat: () => events.push('heartbeat'),
      },
      async () => {
        events.push('job');
        return { kind: 'done' };
      },
    );

    // Act
    const running = loop.run();
    await new Promise((r) => setTimeout(r, 50));
    await loop.stop(100);
    await running;

    // Assess: one heartbeat (a visibility extension) before the job runs, none waiting for the 30 s interval.
    expect(events).toEqual(['heartbeat', 'job']);
    expect(sent).toEqual(['receive', 'visibility 120', 'delete']);
  });

  it('still runs the job when the first heartbeat fails, and says why', async () => {
    // Prepare
    const { client } = fakeSqs();
    const original = client.send.bind(client);
    client.send = (async (command: unknown) => {
      if (command instanceof ChangeMessageVisibilityCommand) throw new Error('AccessDenied');
      return original(command as never);
    }) as SQSClient['send'];
    const logged: string[] = [];
    let ran = 0;
    const loop = new JobLoop(
      client,
      {
        queueUrl: 'q',
        visibilitySeconds: 120,
        heartbeatSeconds: 30,
        waitSeconds: 1,
        log: (m, f) => logged.push(`${m} ${f?.error}`),
      },
      async () => {
        ran++;
        return { kind: 'done' };
      },
    );

    // Act
    const running = loop.run();
    await new Promise((r) => setTimeout(r, 50));
    await loop.stop(100);
    await running;

    // Assess
    expect(ran).toBe(1);
    expect(logged).toEqual(['heartbeat failed Error: AccessDenied']);
  });
});
