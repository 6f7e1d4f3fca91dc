/**
 * ECS task scale-in protection while jobs run: a scale-in (or a deploy) must not stop a task in the middle of a
 * calculation. The ECS agent inside the task serves the API at `$ECS_AGENT_URI/task-protection/v1/state`; outside
 * ECS (locally) there is no agent and this is a no-op. Counted, because one task runs several job loops.
 */
export class ScaleInProtection {
  private active = 0;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly agentUri: string | undefined,
    private readonly log: (message: string, fields?: Record<string, unknown>) => void,
    /** Protection lapses by itself after this long, should the task hang without releasing it. */
    private readonly expiresInMinutes = 180,
  ) {}

  /** Protect the task for the duration of `work`, then drop protection when no other job still runs. */
  async during<T>(work: () => Promise<T>): Promise<T> {
    if (this.active++ === 0) this.enqueue(true);
    try {
      return await work();
    } finally {
      if (--this.active === 0) this.enqueue(false);
    }
  }

  /** Resolves when every requested state change has been sent (for shutdown and tests). */
  settled(): Promise<void> {
    return this.chain;
  }

  private enqueue(enabled: boolean): void {
    if (!this.agentUri) return;
    this.chain = this.chain.then(() => this.put(enabled));
  }

  private async put(enabled: boolean): Promise<void> {
    try {
      const res = await fetch(`${this.agentUri}/task-protection/v1/state`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(
          enabled ? { ProtectionEnabled: true, ExpiresInMinutes: this.expiresInMinutes } : { ProtectionEnabled: false },
        ),
        signal: AbortSignal.timeout(5000),
      });
      const body = (await res.json().catch(() => ({}))) as { failure?: unknown };
      if (!res.ok || body.failure)
        this.log('task protection refused', { enabled, status: res.status, failure: body.failure });
    } catch (error) {
      // Losing protection risks a re-run (the lease and conditional commit make it harmless), never a lost order.
      this.log('task protection failed', { enabled, error: String(error) });
    }
  }
}
