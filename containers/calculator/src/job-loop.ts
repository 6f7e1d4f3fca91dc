import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';

export interface Delivery {
  readonly body: string;
  readonly receiveCount: number;
  readonly messageId: string;
}

/** `done` deletes the message; `retry` makes it visible again after `retryAfterSeconds`. */
export type DeliveryOutcome = { kind: 'done' } | { kind: 'retry'; retryAfterSeconds: number };

export interface JobLoopOptions {
  readonly queueUrl: string;
  /** The queue's visibility timeout; every heartbeat extends the message by this much again. */
  readonly visibilitySeconds: number;
  readonly heartbeatSeconds: number;
  readonly waitSeconds: number;
  readonly log: (message: string, fields?: Record<string, unknown>) => void;
  /**
   * Called after each successful visibility extension, the first one at job start (the worker counts them as a
   * liveness metric).
   */
  readonly onHeartbeat?: () => void;
}

/**
 * The worker loop (STYLE.md §11): long poll one message at a time, heartbeat its visibility while the job runs,
 * delete only after the handler says the result is committed, and on stop release what it cannot finish.
 */
export class JobLoop {
  private stopping = false;
  private receiving: Promise<unknown> = Promise.resolve();
  private current: { message: Message; done: Promise<void> } | undefined;

  constructor(
    private readonly sqs: SQSClient,
    private readonly options: JobLoopOptions,
    private readonly handle: (delivery: Delivery) => Promise<DeliveryOutcome>,
  ) {}

  async run(): Promise<void> {
    while (!this.stopping) {
      let messages: Message[] = [];
      try {
        // A long poll is never aborted: the server may already have handed it a message, which would then stay
        // invisible for a whole visibility timeout. It ends within waitSeconds; what it brings after stop() is
        // released at once.
        const receive = this.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: this.options.queueUrl,
            MaxNumberOfMessages: 1,
            WaitTimeSeconds: this.options.waitSeconds,
            MessageSystemAttributeNames: ['ApproximateReceiveCount'],
          }),
        );
        this.receiving = receive.catch(() => undefined);
        messages = (await receive).Messages ?? [];
      } catch (error) {
        if (this.stopping) break;
        this.options.log('receive failed; backing off', { error: String(error) });
        await sleep(1000);
        continue;
      }
      if (this.stopping) {
        await Promise.all(messages.map((m) => this.setVisibility(m, 0).catch(() => undefined)));
        break;
      }
      for (const message of messages) {
        const done = this.process(message);
        this.current = { message, done };
        await done;
        this.current = undefined;
      }
    }
  }

  /**
   * Stops polling; waits up to `graceMs` for the running job, then releases it (visibility 0) so another worker
   * takes it at once. Resolves when nothing of this loop touches the queue any more.
   */
  async stop(graceMs: number): Promise<'idle' | 'finished' | 'released'> {
    this.stopping = true;
    const running = this.current;
    if (!running) {
      await this.receiving;
      return 'idle';
    }
    const finished = await Promise.race([running.done.then(() => true), sleep(graceMs).then(() => false)]);
    if (finished) return 'finished';
    await this.setVisibility(running.message, 0);
    return 'released';
  }

  private async process(message: Message): Promise<void> {
    const beat = () =>
      this.setVisibility(message, this.options.visibilitySeconds)
        .then(() => this.options.onHeartbeat?.())
        .catch((error) => this.options.log('heartbeat failed', { error: String(error) }));
    // The first heartbeat at job start: a job shorter than the interval still shows a live worker (the missing-
    // heartbeat alarm reads in-flight jobs without heartbeats as stuck), and a worker that may not extend its
    // messages says so at once instead of after the first interval.
    await beat();
    const heartbeat = setInterval(() => void beat(), this.options.heartbeatSeconds * 1000);
    try {
      const outcome = await this.handle({
        body: message.Body ?? '',
        receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? '1'),
        messageId: message.MessageId ?? '',
      });
      if (outcome.kind === 'done') {
        await this.sqs.send(
          new DeleteMessageCommand({ QueueUrl: this.options.queueUrl, ReceiptHandle: message.ReceiptHandle }),
        );
      } else {
        await this.setVisibility(message, outcome.retryAfterSeconds);
      }
    } catch (error) {
      // Leave it to SQS: visible again soon, and in the DLQ after maxReceiveCount.
      this.options.log('job failed', {
        error: error instanceof Error ? error.message : String(error),
        messageId: message.MessageId,
      });
      await this.setVisibility(message, 5).catch(() => undefined);
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async setVisibility(message: Message, seconds: number): Promise<void> {
    await this.sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: this.options.queueUrl,
        ReceiptHandle: message.ReceiptHandle,
        VisibilityTimeout: seconds,
      }),
    );
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
