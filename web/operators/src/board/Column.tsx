import type { BoardCard } from '@facet/contracts/operators';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import { Card } from './Card.tsx';
import type { Thumbnails } from './thumbnails.ts';

const CARD_HEIGHT = 150;

/** A column of the board; only the cards in view (and a few around) are in the DOM, whatever the column holds. */
export function Column(props: { id: string; label: string; cards: readonly BoardCard[]; thumbnails: Thumbnails }) {
  const scroller = useRef<HTMLDivElement>(null);
  const rows = useVirtualizer({
    count: props.cards.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => CARD_HEIGHT,
    overscan: 4,
  });
  return (
    <section className="column" data-testid={`column-${props.id}`} aria-label={props.label}>
      <header className="column-head">
        <span>{props.label}</span>
        <span className="count" data-testid="column-count">
          {props.cards.length}
        </span>
      </header>
      <div className="column-body" ref={scroller}>
        <div style={{ height: rows.getTotalSize(), position: 'relative' }}>
          {rows.getVirtualItems().map((row) => {
            const card = props.cards[row.index];
            if (!card) return null;
            return (
              <div
                key={card.orderId}
                className="slot"
                style={{ transform: `translateY(${row.start}px)`, height: CARD_HEIGHT }}
              >
                <Card card={card} thumbnails={props.thumbnails} />
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}
