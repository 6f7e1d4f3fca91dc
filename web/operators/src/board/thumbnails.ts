import { useEffect, useState } from 'react';
import type { Api } from '../api.ts';

/**
 * Thumbnail links for the cards on screen: cards ask for their order id, the requests are batched (100 at most,
 * the API's limit) and the short-lived links are kept until they expire.
 */
export class Thumbnails {
  private readonly urls = new Map<string, { url: string; expires: number }>();
  private readonly pending = new Set<string>();
  private readonly asked = new Set<string>();
  private readonly listeners = new Set<() => void>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly api: Api) {}

  url(orderId: string): string | undefined {
    const held = this.urls.get(orderId);
    if (held && held.expires > Date.now() + 30_000) return held.url;
    if (this.asked.has(orderId)) return held?.url;
    this.pending.add(orderId);
    this.timer ??= setTimeout(() => void this.flush(), 150);
    return held?.url;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async flush(): Promise<void> {
    this.timer = undefined;
    const ids = [...this.pending].slice(0, 100);
    for (const id of ids) {
      this.pending.delete(id);
      this.asked.add(id);
    }
    if (this.pending.size > 0) this.timer = setTimeout(() => void this.flush(), 50);
    if (ids.length === 0) return;
    try {
      const { thumbnails, expiresAt } = await this.api.post<{ thumbnails: Record<string, string>; expiresAt: string }>(
        '/ops/thumbnails',
        { orderIds: ids },
      );
      const expires = Date.parse(expiresAt);
      for (const [id, url] of Object.entries(thumbnails)) this.urls.set(id, { url, expires });
      for (const listener of this.listeners) listener();
    } catch {
      // A card without its picture is still a card.
    } finally {
      // Asked again once the links expire (or after a failure).
      for (const id of ids) this.asked.delete(id);
    }
  }
}

export function useThumbnail(thumbnails: Thumbnails, orderId: string, wanted: boolean): string | undefined {
  const [, setVersion] = useState(0);
  useEffect(() => thumbnails.subscribe(() => setVersion((v) => v + 1)), [thumbnails]);
  return wanted ? thumbnails.url(orderId) : undefined;
}
