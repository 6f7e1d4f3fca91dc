import { BOARD_MEDIA_TYPE, type BoardView } from '@facet/contracts/operators';
import { useEffect, useRef, useState } from 'react';
import { type Api, describeError } from '../api.ts';

const POLL_MS = 3000;

/**
 * The board, kept fresh: a poll every few seconds with If-None-Match, so an unchanged board is a 304 of no body.
 * Paused while the tab is hidden; an error keeps the last board on screen and says so.
 */
export function useBoard(api: Api) {
  const [board, setBoard] = useState<BoardView>();
  const [error, setError] = useState<string>();
  const [checkedAt, setCheckedAt] = useState<number>();
  const etag = useRef<string | undefined>(undefined);
  const [tick, setTick] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `tick` re-polls at once after an action.
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      if (document.visibilityState === 'visible') {
        try {
          const answer = await api.call<BoardView>(
            'GET',
            '/ops/board',
            undefined,
            // The board gzipped (a tenth of the bytes); the browser inflates it.
            { accept: BOARD_MEDIA_TYPE, ...(etag.current ? { 'if-none-match': etag.current } : {}) },
          );
          if (stopped) return;
          if (answer.status === 200 && answer.body) {
            etag.current = answer.etag;
            setBoard(answer.body);
          }
          setError(undefined);
          setCheckedAt(Date.now());
        } catch (e) {
          if (!stopped) setError(describeError(e));
        }
      }
      if (!stopped) timer = setTimeout(poll, POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [api, tick]);

  return { board, error, checkedAt, refresh: () => setTick((t) => t + 1) };
}
