import { useState } from 'react';
import type { Message } from '../../api/types';
import { useI18n } from '../../i18n/I18nContext';
import { EmailBody } from '../EmailBody';
import { useInlineImages } from './useInlineImages';

type EmailInfo = NonNullable<Message['email']>;
type Address = EmailInfo['to'][number];

function addressText(a: Address): string {
  return a.name ? `${a.name} <${a.address}>` : a.address;
}

function HeaderLine({ label, list }: { label: string; list: Address[] }) {
  if (!list.length) return null;
  return (
    <div className="email-headers__line">
      <dt>{label}</dt>
      <dd dir="ltr">{list.map(addressText).join(', ')}</dd>
    </div>
  );
}

/** Subject, From, To, CC (and BCC on our own replies), as a mail client shows them. */
export function EmailHeaders({ email }: { email: EmailInfo }) {
  const { t } = useI18n();
  return (
    <div className="email-headers" data-testid="email-headers">
      {email.subject ? (
        <p className="email-headers__subject" dir="auto">
          {email.subject}
        </p>
      ) : null}
      <dl>
        <HeaderLine label={t('email.from')} list={email.from ? [email.from] : []} />
        <HeaderLine label={t('email.to')} list={email.to} />
        <HeaderLine label={t('email.cc')} list={email.cc} />
        <HeaderLine label={t('email.bcc')} list={email.bcc ?? []} />
      </dl>
      {email.recipients ? (
        <p className="muted email-headers__note">
          {t('email.recipientsKept', {
            kept: email.recipients.kept,
            count: email.recipients.to + email.recipients.cc,
          })}
        </p>
      ) : null}
    </div>
  );
}

/** Automatic reply, bounce and unreadable-MIME marks. */
export function EmailBadges({ message }: { message: Message }) {
  const { t } = useI18n();
  return (
    <div className="email-badges">
      {message.bounce ? (
        <span
          className="badge badge--bounce"
          data-testid="badge-bounce"
          title={message.bounce.diagnostic ?? ''}
        >
          {message.bounce.hard
            ? t('email.bounceHard', { address: message.bounce.recipient })
            : t('email.bounceSoft', { address: message.bounce.recipient })}
        </span>
      ) : message.autoReply ? (
        <span className="badge badge--auto" data-testid="badge-auto-reply">
          {t('email.autoReply')}
        </span>
      ) : null}
      {message.email?.problem ? (
        <span className="badge badge--problem">{t('email.malformed')}</span>
      ) : null}
    </div>
  );
}

/**
 * An e-mail in the thread: its headers, what the sender wrote this time, and the quoted history
 * (with the HTML, in the sandboxed frame) behind "show quoted".
 */
export function EmailMessage({ message }: { message: Message }) {
  const { t } = useI18n();
  const [expanded, setExpanded] = useState(false);
  const inline = useInlineImages(message.attachments);
  const email = message.email!;
  const hasQuoted = Boolean(email.fullText);
  const showHtml = Boolean(message.html) && (!hasQuoted || expanded);
  const text = expanded && !message.html && email.fullText ? email.fullText : message.text;
  return (
    <div className="email-message" data-testid="email-message">
      <EmailHeaders email={email} />
      <EmailBadges message={message} />
      {!showHtml && text ? (
        <p className="msg__text" dir="auto">
          {text}
        </p>
      ) : null}
      {showHtml && message.html ? <EmailBody html={message.html} inline={inline} /> : null}
      {hasQuoted ? (
        <button
          type="button"
          className="link-button email-message__toggle"
          aria-expanded={expanded}
          data-testid="email-show-quoted"
          onClick={() => setExpanded((e) => !e)}
        >
          {expanded ? t('email.hideQuoted') : t('email.showQuoted')}
        </button>
      ) : null}
    </div>
  );
}
