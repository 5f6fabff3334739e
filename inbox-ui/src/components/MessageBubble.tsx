import { memo } from 'react';
import type { Channel, Message } from '../api/types';
import { useI18n } from '../i18n/I18nContext';
import { formatBytes, formatDateTime, formatMessageTime } from '../lib/format';
import { EmailBody } from './EmailBody';
import { IconAlert, IconCheck, IconCheckDouble, IconClock, IconFile, IconLock } from './Icons';

interface Props {
  message: Message;
  channel: Channel;
  contactName: string;
  now: number;
}

export function bubbleClass(
  m: Pick<Message, 'direction' | 'private' | 'senderType' | 'status'>,
): string {
  const classes = ['msg', m.direction === 'in' ? 'msg--in' : 'msg--out'];
  if (m.private) classes.push('msg--private');
  if (m.senderType === 'bot') classes.push('msg--bot');
  if (m.senderType === 'system') classes.push('msg--system');
  if (m.status === 'failed') classes.push('msg--failed');
  return classes.join(' ');
}

function StatusIcon({ status }: { status: Message['status'] }) {
  switch (status) {
    case 'queued':
      return <IconClock size={14} />;
    case 'sent':
      return <IconCheck size={14} />;
    case 'delivered':
    case 'read':
      return <IconCheckDouble size={14} />;
    case 'failed':
      return <IconAlert size={14} />;
    default:
      return null;
  }
}

/**
 * One message. Customer text is rendered as a React text node, so markup in it is shown, never
 * parsed; `dir="auto"` lets a Persian message read right-to-left inside an English interface.
 */
export const MessageBubble = memo(function MessageBubble({
  message: m,
  channel,
  contactName,
  now,
}: Props) {
  const { t, locale } = useI18n();
  const sender =
    m.senderType === 'contact'
      ? contactName || t('msg.customer')
      : m.senderType === 'bot'
        ? t('msg.bot')
        : m.senderType === 'system'
          ? t('msg.system')
          : (m.sender?.name ?? t('msg.customer'));
  const showStatus = m.direction === 'out' && !m.private && m.senderType !== 'system';
  // Files the server could not keep (a refused URL, too large) are named, not linked.
  const kept = m.attachments.filter((a) => !a.state || a.state === 'stored');
  const missing = m.attachments.filter((a) => a.state && a.state !== 'stored');
  const images = kept.filter((a) => a.contentType.startsWith('image/'));
  const audio = kept.filter((a) => a.contentType.startsWith('audio/'));
  const files = kept.filter(
    (a) => !a.contentType.startsWith('image/') && !a.contentType.startsWith('audio/'),
  );

  return (
    <article
      className={bubbleClass(m)}
      data-testid="message"
      data-id={m.id}
      data-private={m.private ? 'true' : 'false'}
      data-direction={m.direction}
      aria-label={m.private ? t('msg.private') : undefined}
    >
      <div className="msg__meta">
        {m.private ? (
          <span className="msg__private-tag">
            <IconLock size={12} /> {t('msg.private')}
          </span>
        ) : null}
        <span className="msg__sender" dir="auto">
          {sender}
        </span>
        <time
          className="msg__time"
          dateTime={m.createdAt}
          title={formatDateTime(m.createdAt, locale)}
        >
          {formatMessageTime(m.createdAt, locale, now)}
        </time>
      </div>
      <div className="msg__bubble">
        {m.subject ? (
          <p className="msg__subject" dir="auto">
            {m.subject}
          </p>
        ) : null}
        {m.text ? (
          <p className="msg__text" dir="auto">
            {m.text}
          </p>
        ) : null}
        {m.html ? <EmailBody html={m.html} /> : null}
        {images.length ? (
          <div className="msg__images">
            {images.map((a) => (
              <a key={a.id} href={a.url} target="_blank" rel="noopener noreferrer">
                <img src={a.url} alt={a.fileName} loading="lazy" />
              </a>
            ))}
          </div>
        ) : null}
        {audio.map((a) => (
          <audio
            key={a.id}
            className="msg__audio"
            controls
            preload="none"
            src={a.url}
            aria-label={t('msg.voicemail')}
          />
        ))}
        {missing.map((a) => (
          <p key={a.id} className="msg__file-missing muted" dir="auto">
            {a.state === 'pending'
              ? t('msg.filePending', { name: a.fileName })
              : t('msg.fileMissing', { name: a.fileName, reason: a.error ?? a.state ?? '' })}
          </p>
        ))}
        {files.length ? (
          <ul className="msg__files">
            {files.map((a) => (
              <li key={a.id}>
                <a href={a.url} target="_blank" rel="noopener noreferrer" download={a.fileName}>
                  <IconFile size={16} />
                  <span dir="auto">{a.fileName}</span>
                  <span className="msg__file-size">{formatBytes(a.size, locale)}</span>
                </a>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      {showStatus ? (
        <div className={`msg__status msg__status--${m.status}`} data-status={m.status}>
          <StatusIcon status={m.status} />
          <span>{t(`msg.status.${m.status}`)}</span>
          <span className="msg__via">· {t('msg.via', { channel: t(`channel.${channel}`) })}</span>
        </div>
      ) : null}
      {m.status === 'failed' && m.failureReason ? (
        <p className="msg__failure" role="note">
          {t('msg.failedReason', { reason: m.failureReason })}
        </p>
      ) : null}
    </article>
  );
});
