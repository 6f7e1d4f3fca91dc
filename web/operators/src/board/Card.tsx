import type { BoardCard } from '@facet/contracts/operators';
import { ALLOY_NAMES, since } from '../format.ts';
import { Link } from '../router.tsx';
import { type Thumbnails, useThumbnail } from './thumbnails.ts';

/** One order on the board. Every text is rendered as text: references and company names come from clients. */
export function Card({ card, thumbnails }: { card: BoardCard; thumbnails: Thumbnails }) {
  const thumbnail = useThumbnail(thumbnails, card.orderId, card.hasThumbnail);
  const flag = card.overdue ? 'overdue' : card.atRisk ? 'at-risk' : '';
  const item = `${ALLOY_NAMES[card.alloy] ?? card.alloy} × ${card.quantity}`;
  return (
    <Link to={`/orders/${card.orderId}`} className={`card ${flag}`} testId="board-card">
      <div className="card-top">
        <div className="thumb">{thumbnail ? <img src={thumbnail} alt="" /> : null}</div>
        <div className="card-main">
          <div className="card-ref" data-testid="card-reference">
            {card.reference ?? card.orderId}
          </div>
          <div className="card-company">{card.company}</div>
          <div className="card-item">
            {item}
            {card.ringSize ? ` · size ${card.ringSize.size} ${card.ringSize.system}` : ''}
          </div>
        </div>
      </div>
      <div className="card-meta">
        <span className={`due ${flag}`} title={flag ? flag.replace('-', ' ') : 'due date'}>
          due {card.dueDate}
        </span>
        <span title="time in this column">{since(card.since)}</span>
        {card.rush ? <span className="badge rush">rush</span> : null}
        {card.hold ? (
          <span className="badge hold" title={card.hold.reason}>
            on hold
          </span>
        ) : null}
        {card.treeId ? <span className="badge">tree</span> : null}
      </div>
      {card.progress ? (
        <div className="progress" title={`${card.progress.stage} ${card.progress.percent}%`}>
          <div className="progress-bar" style={{ width: `${card.progress.percent}%` }} />
        </div>
      ) : null}
      {card.reasons?.length ? <div className="card-reasons">{card.reasons[0]}</div> : null}
      <div className="card-change">
        {card.lastChange.what}
        {card.lastChange.by?.email ? ` · ${card.lastChange.by.email}` : ''} · {since(card.lastChange.at)} ago
      </div>
    </Link>
  );
}
