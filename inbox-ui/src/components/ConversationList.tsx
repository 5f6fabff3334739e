import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { Conversation } from '../api/types';
import { useI18n } from '../i18n/I18nContext';
import { useElementHeight } from '../lib/hooks';
import { nearEnd, scrollToReveal, visibleRange } from '../lib/virtual';
import type { SlaMarks } from '../lib/sla';
import { ConversationRow, ROW_HEIGHT } from './ConversationRow';

interface Props {
  items: Conversation[];
  selectedId: string | null;
  hasMore: boolean;
  loading: boolean;
  loaded: boolean;
  error: string | null;
  emptyText: string;
  now: number;
  slaMarks?: Readonly<Record<string, SlaMarks>>;
  onSelect: (id: string) => void;
  onLoadMore: () => void;
  onRetry: () => void;
}

/**
 * The conversation list, virtualised: rows have one fixed height, only those in view (plus a
 * few either side) are in the DOM, and the next page loads as the end comes near. Ten thousand
 * loaded conversations cost the same to render as fifty.
 */
export function ConversationList({
  items,
  selectedId,
  hasMore,
  loading,
  loaded,
  error,
  emptyText,
  now,
  slaMarks,
  onSelect,
  onLoadMore,
  onRetry,
}: Props) {
  const { t } = useI18n();
  const scroller = useRef<HTMLDivElement>(null);
  const height = useElementHeight(scroller);
  const [scrollTop, setScrollTop] = useState(0);
  const range = visibleRange(scrollTop, height || 800, ROW_HEIGHT, items.length);

  // Ask for the next page when the viewport nears the end of what is loaded (also when the
  // first page does not fill the screen).
  useEffect(() => {
    if (hasMore && !loading && !error && nearEnd(scrollTop, height, ROW_HEIGHT, items.length))
      onLoadMore();
  }, [scrollTop, height, items.length, hasMore, loading, error, onLoadMore]);

  // Keep the selected row in view when it changes through the keyboard.
  const selectedIndex = selectedId ? items.findIndex((c) => c.id === selectedId) : -1;
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || selectedIndex < 0) return;
    const target = scrollToReveal(selectedIndex, el.scrollTop, el.clientHeight, ROW_HEIGHT);
    if (target !== null) el.scrollTop = target;
  }, [selectedIndex]);

  const onKeyDown = useCallback(
    (e: KeyboardEvent<HTMLDivElement>) => {
      if (!items.length) return;
      let index = selectedIndex;
      if (e.key === 'ArrowDown') index = Math.min(items.length - 1, index + 1);
      else if (e.key === 'ArrowUp') index = Math.max(0, index - 1);
      else if (e.key === 'Home') index = 0;
      else if (e.key === 'End') index = items.length - 1;
      else return;
      e.preventDefault();
      const target = items[index];
      if (target) onSelect(target.id);
    },
    [items, selectedIndex, onSelect],
  );

  const setSize = hasMore ? -1 : items.length;
  return (
    <div className="list">
      <div
        ref={scroller}
        className="list__scroller"
        role="listbox"
        aria-label={t('list.label')}
        aria-activedescendant={selectedIndex >= 0 ? `conv-${selectedId}` : undefined}
        aria-busy={loading}
        tabIndex={0}
        data-testid="conversation-list"
        data-count={items.length}
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        onKeyDown={onKeyDown}
      >
        <div className="list__spacer" style={{ blockSize: range.totalHeight }}>
          {items.slice(range.start, range.end).map((c, i) => (
            <ConversationRow
              key={c.id}
              conversation={c}
              selected={c.id === selectedId}
              index={range.start + i}
              setSize={setSize}
              now={now}
              slaMarks={slaMarks?.[c.id]}
              onSelect={onSelect}
              style={{ insetBlockStart: (range.start + i) * ROW_HEIGHT, blockSize: ROW_HEIGHT }}
            />
          ))}
        </div>
        {loaded && !items.length && !loading && !error ? (
          <p className="list__empty">{emptyText}</p>
        ) : null}
      </div>
      {loading ? (
        <div className="list__status" role="status">
          <span className="spinner" aria-hidden="true" />{' '}
          {loaded ? t('list.loadingMore') : t('app.loading')}
        </div>
      ) : null}
      {error ? (
        <div className="list__status list__status--error" role="alert">
          {error}{' '}
          <button type="button" className="link-button" onClick={onRetry}>
            {t('common.retry')}
          </button>
        </div>
      ) : null}
    </div>
  );
}
