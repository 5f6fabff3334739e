import { memo } from 'react';
import type { CSSProperties } from 'react';
import type { Conversation } from '../api/types';
import { formatNumber, levelKey } from '../i18n/core';
import { useI18n } from '../i18n/I18nContext';
import {
  avatarHue,
  formatDurationLong,
  formatMessageTime,
  formatWaitingShort,
  initials,
  waitingUrgency,
} from '../lib/format';
import type { SlaMarks } from '../lib/sla';
import { ChannelIcon } from './Icons';
import { SlaBadge } from './SlaCountdown';
import { CustomerBadges } from './CustomerBadges';

export const ROW_HEIGHT = 84;

interface Props {
  conversation: Conversation;
  selected: boolean;
  index: number;
  setSize: number;
  now: number;
  slaMarks?: SlaMarks | undefined;
  style?: CSSProperties;
  onSelect: (id: string) => void;
}

export function Avatar({ name, seed, size = 40 }: { name: string; seed: string; size?: number }) {
  const hue = avatarHue(seed);
  return (
    <span
      className="avatar"
      aria-hidden="true"
      style={{
        inlineSize: size,
        blockSize: size,
        fontSize: size * 0.4,
        background: `hsl(${hue} 70% 92%)`,
        color: `hsl(${hue} 45% 32%)`,
      }}
    >
      {initials(name)}
    </span>
  );
}

/** One row of the conversation list: who, where, what was said last, how long they have waited. */
export const ConversationRow = memo(function ConversationRow({
  conversation: c,
  selected,
  index,
  setSize,
  now,
  slaMarks,
  style,
  onSelect,
}: Props) {
  const { t, locale } = useI18n();
  const name = c.contact.name || t('contact.unnamed');
  const waiting = c.waitingSince && c.status !== 'resolved' ? c.waitingSince : null;
  const urgency = waitingUrgency(waiting, now);
  const classes = ['row'];
  if (selected) classes.push('row--selected');
  if (c.unreadCount > 0) classes.push('row--unread');

  return (
    <div
      id={`conv-${c.id}`}
      className={classes.join(' ')}
      role="option"
      aria-selected={selected}
      aria-posinset={index + 1}
      aria-setsize={setSize}
      data-testid="conversation-row"
      data-id={c.id}
      style={style}
      onClick={() => onSelect(c.id)}
    >
      <div className="row__avatar">
        <Avatar name={name} seed={c.contact.id} />
        <span className={`row__channel channel--${c.channel}`} title={t(`channel.${c.channel}`)}>
          <ChannelIcon channel={c.channel} size={12} title={t(`channel.${c.channel}`)} />
        </span>
      </div>
      <div className="row__main">
        <div className="row__top">
          <span className="row__name" dir="auto">
            {name}
          </span>
          {waiting ? (
            <span
              className={`row__waiting row__waiting--${urgency}`}
              title={t('time.waitingFor', { duration: formatDurationLong(waiting, now, t) })}
            >
              {formatWaitingShort(waiting, now, t)}
            </span>
          ) : c.lastMessageAt ? (
            <time className="row__time" dateTime={c.lastMessageAt}>
              {formatMessageTime(c.lastMessageAt, locale, now)}
            </time>
          ) : null}
        </div>
        <div className="row__preview" dir="auto">
          {c.lastMessagePreview || <span className="muted">{t('list.noPreview')}</span>}
        </div>
        <div className="row__meta">
          {c.level > 0 ? (
            <span
              className={`badge badge--level badge--level-${c.level}`}
              title={t(levelKey(c.level))}
            >
              {t('level.short', { level: c.level })}
            </span>
          ) : null}
          <SlaBadge conversation={c} marks={slaMarks} />
          <CustomerBadges tier={c.contact.tier} segment={c.contact.segment} />
          {c.priority === 'high' || c.priority === 'urgent' ? (
            <span className={`badge badge--priority-${c.priority}`}>
              {t(`priority.${c.priority}`)}
            </span>
          ) : null}
          {c.status !== 'open' ? (
            <span className={`badge badge--status-${c.status}`}>{t(`status.${c.status}`)}</span>
          ) : null}
          <span className={c.assignee ? 'row__assignee' : 'row__assignee row__assignee--none'}>
            {c.assignee ? c.assignee.name : t('list.unassigned')}
          </span>
          {c.unreadCount > 0 ? (
            <span
              className="badge badge--unread"
              aria-label={t('list.unread', { count: c.unreadCount })}
            >
              {c.unreadCount > 99
                ? `${formatNumber(locale, 99)}+`
                : formatNumber(locale, c.unreadCount)}
            </span>
          ) : null}
        </div>
      </div>
    </div>
  );
});
