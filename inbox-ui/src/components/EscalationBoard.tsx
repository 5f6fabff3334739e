import { levelKey, formatNumber } from '../i18n/core';
import { MenuButton } from './MenuButton';
import { useI18n } from '../i18n/I18nContext';
import type { Conversation } from '../api/types';
import { groupBoard } from '../lib/board';
import { formatWaitingShort } from '../lib/format';
import type { SlaMarks } from '../lib/sla';
import { SlaBadge } from './SlaCountdown';

interface Props {
  conversations: readonly Conversation[];
  marks: Readonly<Record<string, SlaMarks>>;
  now: number;
  loaded: boolean;
  /** Fixes the countdowns' time (component tests). */
  fixedNow?: number;
  onOpen: (id: string) => void;
  onOpenMenu: () => void;
}

/**
 * The Escalated view for supervisors: one column per level of the ladder (front line,
 * supervisor, head office, external risk), each card with its age and SLA state, the ones in
 * trouble first. Live: it is drawn from the same list the socket keeps current.
 */
export function EscalationBoard({
  conversations,
  marks,
  now,
  loaded,
  fixedNow,
  onOpen,
  onOpenMenu,
}: Props) {
  const { t, locale } = useI18n();
  const columns = groupBoard(conversations, now, marks);
  return (
    <section className="board" data-testid="escalation-board" aria-label={t('board.title')}>
      <header className="board__header">
        <MenuButton onClick={onOpenMenu} />
        <h1>{t('board.title')}</h1>
        {!loaded ? <span className="spinner" aria-hidden="true" /> : null}
      </header>
      <div className="board__columns">
        {columns.map((col) => (
          <section
            key={col.level}
            className={`board__column board__column--${col.level}`}
            data-testid={`board-level-${col.level}`}
            aria-label={t(levelKey(col.level))}
          >
            <h2 className="board__title">
              <span>{t(levelKey(col.level))}</span>
              <span className="board__count">{formatNumber(locale, col.cards.length)}</span>
            </h2>
            {col.breached || col.warning ? (
              <p className="board__trouble">
                {col.breached ? (
                  <span className="sla sla--breached">
                    {t('board.breached', { count: col.breached })}
                  </span>
                ) : null}
                {col.warning ? (
                  <span className="sla sla--warning">
                    {t('board.warning', { count: col.warning })}
                  </span>
                ) : null}
              </p>
            ) : null}
            {col.cards.length === 0 ? (
              <p className="muted board__empty">{t('board.empty')}</p>
            ) : null}
            <ul className="board__cards">
              {col.cards.map(({ conversation: c }) => (
                <li key={c.id}>
                  <button
                    type="button"
                    className={`board__card${c.complaint?.legalFlag ? ' board__card--legal' : ''}`}
                    data-testid="board-card"
                    data-id={c.id}
                    onClick={() => onOpen(c.id)}
                  >
                    <span className="board__card-top">
                      <strong dir="auto">{c.contact.name || t('contact.unnamed')}</strong>
                      <span className="muted" title={t('board.age')}>
                        {formatWaitingShort(c.createdAt, now, t)}
                      </span>
                    </span>
                    {c.complaint ? (
                      <span className="board__card-ref">
                        <bdi dir="ltr">{c.complaint.reference}</bdi>
                        {c.complaint.legalFlag ? (
                          <span className="badge badge--danger">{t('complaint.legal')}</span>
                        ) : null}
                      </span>
                    ) : null}
                    <span className="board__card-preview" dir="auto">
                      {c.lastMessagePreview ?? ''}
                    </span>
                    <span className="board__card-bottom">
                      <SlaBadge conversation={c} marks={marks[c.id]} now={fixedNow} />
                      <span className="muted">
                        {c.assignee ? <bdi>{c.assignee.name}</bdi> : t('list.unassigned')}
                      </span>
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
    </section>
  );
}
