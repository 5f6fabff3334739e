import { useEffect, useRef, useState } from 'react';
import { MenuButton } from './MenuButton';
import type { Ref } from 'react';
import { api } from '../api/client';
import type { Channel, Priority, SearchResult, Team } from '../api/types';
import { CHANNELS, PRIORITIES, STATUSES } from '../api/types';
import { formatNumber } from '../i18n/core';
import { useI18n } from '../i18n/I18nContext';
import type { ListFilter } from '../lib/filters';
import {
  SEGMENTS,
  TIERS,
  hasNarrowing,
  teamOf,
  type Segment,
  type StatusFilter,
} from '../lib/filters';
import { tierLabel } from '../lib/tiers';
import { formatMessageTime } from '../lib/format';
import { useDebounced } from '../lib/hooks';
import type { ListState } from '../lib/listState';
import type { SlaMarks } from '../lib/sla';
import { snippetAround, splitHighlights } from '../lib/search';
import { ConversationList } from './ConversationList';
import { Avatar } from './ConversationRow';
import { segmentLabel } from './ContactSidebar';
import { ChannelIcon, IconClose, IconSearch } from './Icons';

interface Props {
  searchRef?: Ref<HTMLInputElement>;
  filter: ListFilter;
  list: ListState;
  labels: string[];
  teams: Team[];
  selectedId: string | null;
  now: number;
  slaMarks?: Readonly<Record<string, SlaMarks>>;
  onFilter: (filter: ListFilter) => void;
  onSelect: (id: string) => void;
  onLoadMore: () => void;
  onRetry: () => void;
  onOpenMenu: () => void;
}

type SearchTab = 'conversations' | 'messages' | 'contacts';

function Highlighted({ text, query }: { text: string; query: string }) {
  return (
    <>
      {splitHighlights(text, query).map((part, i) =>
        part.match ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>,
      )}
    </>
  );
}

export function ListPane({
  searchRef,
  filter,
  list,
  labels,
  teams,
  selectedId,
  now,
  slaMarks,
  onFilter,
  onSelect,
  onLoadMore,
  onRetry,
  onOpenMenu,
}: Props) {
  const { t, locale } = useI18n();
  const [query, setQuery] = useState(filter.q ?? '');
  const debounced = useDebounced(query, 300);
  const [tab, setTab] = useState<SearchTab>('conversations');
  const filterRef = useRef(filter);
  filterRef.current = filter;

  // The URL is the source of truth; follow it when it changes from elsewhere (back button).
  useEffect(() => setQuery(filter.q ?? ''), [filter.q]);
  useEffect(() => {
    const q = debounced.trim();
    if (q !== (filterRef.current.q ?? '')) onFilter({ ...filterRef.current, q: q || undefined });
  }, [debounced, onFilter]);

  const teamId = teamOf(filter.view);
  const title = teamId
    ? (teams.find((x) => x.id === teamId)?.name ?? t('nav.teams'))
    : t(`nav.${filter.view as 'mine' | 'unassigned' | 'all' | 'escalated'}`);
  const set = (patch: Partial<ListFilter>) => onFilter({ ...filter, ...patch });
  const searching = Boolean(filter.q);

  return (
    <section className="list-pane" aria-label={t('list.label')}>
      <header className="list-pane__header">
        <div className="list-pane__title">
          <MenuButton onClick={onOpenMenu} />
          <h1 dir="auto">{title}</h1>
          {list.loaded ? (
            <span className="list-pane__count">
              {list.nextCursor
                ? `${formatNumber(locale, list.items.length)}+`
                : formatNumber(locale, list.items.length)}
            </span>
          ) : null}
        </div>
        <div className="search" role="search">
          <IconSearch size={16} className="search__icon" />
          <input
            ref={searchRef}
            type="search"
            className="search__input"
            dir="auto"
            value={query}
            placeholder={t('search.placeholder')}
            aria-label={t('search.label')}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape' && query) {
                e.stopPropagation();
                setQuery('');
              }
            }}
          />
          {query ? (
            <button
              type="button"
              className="icon-button icon-button--small search__clear"
              aria-label={t('search.clear')}
              onClick={() => setQuery('')}
            >
              <IconClose size={14} />
            </button>
          ) : null}
        </div>
        <div className="filters" role="group" aria-label={t('filter.title')}>
          <select
            aria-label={t('filter.status')}
            value={filter.status ?? 'any'}
            onChange={(e) =>
              set({
                status: e.target.value === 'any' ? undefined : (e.target.value as StatusFilter),
              })
            }
          >
            <option value="active">
              {t('filter.status')}: {t('filter.active')}
            </option>
            <option value="any">
              {t('filter.status')}: {t('common.any')}
            </option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
          <select
            aria-label={t('filter.channel')}
            value={filter.channel ?? ''}
            onChange={(e) => set({ channel: (e.target.value || undefined) as Channel | undefined })}
          >
            <option value="">
              {t('filter.channel')}: {t('common.any')}
            </option>
            {CHANNELS.map((c) => (
              <option key={c} value={c}>
                {t(`channel.${c}`)}
              </option>
            ))}
          </select>
          <select
            aria-label={t('filter.priority')}
            value={filter.priority ?? ''}
            onChange={(e) =>
              set({ priority: (e.target.value || undefined) as Priority | undefined })
            }
          >
            <option value="">
              {t('filter.priority')}: {t('common.any')}
            </option>
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {t(`priority.${p}`)}
              </option>
            ))}
          </select>
          <select
            aria-label={t('filter.label')}
            value={filter.label ?? ''}
            onChange={(e) => set({ label: e.target.value || undefined })}
          >
            <option value="">
              {t('filter.label')}: {t('common.any')}
            </option>
            {labels.map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
          <select
            aria-label={t('filter.tier')}
            data-testid="filter-tier"
            value={filter.tier ?? ''}
            onChange={(e) => set({ tier: e.target.value || undefined })}
          >
            <option value="">
              {t('filter.tier')}: {t('common.any')}
            </option>
            {TIERS.map((x) => (
              <option key={x} value={x}>
                {tierLabel(x, t)}
              </option>
            ))}
            {filter.tier && !(TIERS as readonly string[]).includes(filter.tier) ? (
              <option value={filter.tier}>{filter.tier}</option>
            ) : null}
          </select>
          <select
            aria-label={t('filter.segment')}
            data-testid="filter-segment"
            value={filter.segment ?? ''}
            onChange={(e) => set({ segment: (e.target.value || undefined) as Segment | undefined })}
          >
            <option value="">
              {t('filter.segment')}: {t('common.any')}
            </option>
            {SEGMENTS.map((x) => (
              <option key={x} value={x}>
                {segmentLabel(x, t)}
              </option>
            ))}
          </select>
          {hasNarrowing({ ...filter, q: undefined }) ? (
            <button
              type="button"
              className="link-button"
              onClick={() => onFilter({ view: filter.view, q: filter.q, status: 'active' })}
            >
              {t('filter.clear')}
            </button>
          ) : null}
        </div>
        {filter.view === 'escalated' ? (
          <div className="levels" role="group" aria-label={t('filter.level')}>
            {[undefined, 1, 2, 3, 4].map((level) => (
              <button
                key={level ?? 0}
                type="button"
                className={`level-chip level-chip--${level ?? 0}`}
                aria-pressed={filter.level === level}
                title={level ? t('level.atLeast', { level }) : undefined}
                onClick={() => set({ level })}
              >
                {level ? t('level.short', { level }) + (level < 4 ? '+' : '') : t('common.any')}
              </button>
            ))}
          </div>
        ) : null}
        {searching ? (
          <div className="tabs" role="tablist" aria-label={t('search.label')}>
            {(['conversations', 'messages', 'contacts'] as const).map((x) => (
              <button
                key={x}
                type="button"
                role="tab"
                className="tabs__tab"
                aria-selected={tab === x}
                onClick={() => setTab(x)}
              >
                {t(`search.${x}`)}
              </button>
            ))}
          </div>
        ) : null}
      </header>

      {searching && tab !== 'conversations' ? (
        <SearchResults q={filter.q ?? ''} tab={tab} now={now} onOpen={onSelect} />
      ) : (
        <ConversationList
          items={list.items}
          selectedId={selectedId}
          hasMore={list.nextCursor !== null}
          loading={list.loading}
          loaded={list.loaded}
          error={list.error}
          emptyText={hasNarrowing(filter) ? t('list.emptyFiltered') : t('list.empty')}
          now={now}
          slaMarks={slaMarks}
          onSelect={onSelect}
          onLoadMore={onLoadMore}
          onRetry={onRetry}
        />
      )}
    </section>
  );
}

function SearchResults({
  q,
  tab,
  now,
  onOpen,
}: {
  q: string;
  tab: 'messages' | 'contacts';
  now: number;
  onOpen: (id: string) => void;
}) {
  const { t, locale } = useI18n();
  const [result, setResult] = useState<SearchResult | null>(null);
  const [error, setError] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    setResult(null);
    setError(false);
    api
      .search(q, controller.signal)
      .then(setResult)
      .catch(() => !controller.signal.aborted && setError(true));
    return () => controller.abort();
  }, [q]);

  async function openContact(contactId: string) {
    try {
      const page = await api.contactConversations(contactId);
      const latest = page.items[0];
      if (latest) onOpen(latest.id);
    } catch {
      setError(true);
    }
  }

  if (error)
    return (
      <p className="list__empty" role="alert">
        {t('error.generic')}
      </p>
    );
  if (!result) return <p className="list__empty">{t('app.loading')}</p>;
  const empty = tab === 'messages' ? !result.messages.length : !result.contacts.length;
  if (empty) return <p className="list__empty">{t('search.none', { q })}</p>;

  return (
    <ul className="results" aria-label={t(`search.${tab}`)}>
      {tab === 'messages'
        ? result.messages.map(({ message, conversation }) => (
            <li key={message.id}>
              <button type="button" className="result" onClick={() => onOpen(conversation.id)}>
                <ChannelIcon
                  channel={conversation.channel}
                  size={16}
                  title={t(`channel.${conversation.channel}`)}
                />
                <span className="result__body">
                  <span className="result__top">
                    <span className="result__name" dir="auto">
                      {conversation.contact.name || t('contact.unnamed')}
                    </span>
                    <time dateTime={message.createdAt}>
                      {formatMessageTime(message.createdAt, locale, now)}
                    </time>
                  </span>
                  <span className="result__text" dir="auto">
                    <Highlighted text={snippetAround(message.text, q)} query={q} />
                  </span>
                </span>
              </button>
            </li>
          ))
        : result.contacts.map((contact) => (
            <li key={contact.id}>
              <button type="button" className="result" onClick={() => void openContact(contact.id)}>
                <Avatar name={contact.name || '?'} seed={contact.id} size={32} />
                <span className="result__body">
                  <span className="result__name" dir="auto">
                    <Highlighted text={contact.name || t('contact.unnamed')} query={q} />
                  </span>
                  <span className="result__text" dir="ltr">
                    {contact.identities.map((i) => i.value).join(' · ')}
                  </span>
                </span>
              </button>
            </li>
          ))}
    </ul>
  );
}
