import { useImperativeHandle, useLayoutEffect, useRef } from 'react';
import type { Ref } from 'react';
import type { Channel, Message } from '../../api/types';
import { useI18n } from '../../i18n/I18nContext';
import { MessageBubble } from '../MessageBubble';

export interface ThreadHandle {
  /** Follow the newest message again (the agent just sent one). */
  stickToBottom: () => void;
  /** Earlier messages are about to be prepended: keep the reader where they are. */
  keepPlace: () => void;
}

interface Props {
  ref?: Ref<ThreadHandle>;
  messages: Message[];
  channel: Channel;
  contactName: string;
  now: number;
  hasEarlier: boolean;
  loadingEarlier: boolean;
  contactTyping: boolean;
  onLoadEarlier: () => void;
}

/** The messages of the open conversation, oldest first, and the contact's typing indicator. */
export function Thread({
  ref,
  messages,
  channel,
  contactName,
  now,
  hasEarlier,
  loadingEarlier,
  contactTyping,
  onLoadEarlier,
}: Props) {
  const { t } = useI18n();
  const thread = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  const prependFrom = useRef<number | null>(null);

  useImperativeHandle(
    ref,
    () => ({
      stickToBottom: () => {
        stickToBottom.current = true;
      },
      keepPlace: () => {
        const el = thread.current;
        prependFrom.current = el ? el.scrollHeight - el.scrollTop : null;
      },
    }),
    [],
  );

  // Stay at the newest message unless the agent scrolled up to read; keep the place when
  // earlier messages are prepended.
  useLayoutEffect(() => {
    const el = thread.current;
    if (!el) return;
    if (prependFrom.current !== null) {
      el.scrollTop = el.scrollHeight - prependFrom.current;
      prependFrom.current = null;
    } else if (stickToBottom.current) {
      el.scrollTop = el.scrollHeight;
    }
  }, [messages, contactTyping]);

  return (
    <div
      ref={thread}
      className="thread"
      role="log"
      aria-label={t('msg.thread')}
      aria-live="polite"
      tabIndex={0}
      data-testid="thread"
      onScroll={(e) => {
        const el = e.currentTarget;
        stickToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
      }}
    >
      {hasEarlier ? (
        <button
          type="button"
          className="thread__earlier link-button"
          onClick={onLoadEarlier}
          disabled={loadingEarlier}
        >
          {t('msg.loadEarlier')}
        </button>
      ) : null}
      {messages.length === 0 ? <p className="thread__empty muted">{t('msg.empty')}</p> : null}
      {messages.map((m) => (
        <MessageBubble
          key={m.id}
          message={m}
          channel={channel}
          contactName={contactName}
          now={now}
        />
      ))}
      {contactTyping ? (
        <div className="typing" data-testid="contact-typing">
          <span className="typing__dots" aria-hidden="true">
            <i />
            <i />
            <i />
          </span>
          {t('msg.typing', { name: contactName })}
        </div>
      ) : null}
    </div>
  );
}
