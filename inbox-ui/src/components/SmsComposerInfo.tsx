import type { Channel, Identity } from '../api/types';
import { useI18n } from '../i18n/I18nContext';
import { repliesAreSms, smsCounter } from '../lib/smsCounter';
import { IconAlert } from './Icons';

interface Props {
  channel: Channel;
  text: string;
  isNote: boolean;
  /** The identity replies go to, with whether it can be reached. */
  recipient: Identity | null | undefined;
}

/**
 * Worth explaining only when a stray character (a curly quote, an emoji, a dash) costs the
 * reply its GSM-7 rate; a Persian or Russian text is Unicode for all to see.
 */
function strayUnicode(chars: string[]): boolean {
  return chars.length > 0 && chars.every((c) => !/[\u0400-\u04ff\u0600-\u06ff]/.test(c));
}

/**
 * Above an SMS reply: a warning when the customer cannot be texted (opted out with STOP), and
 * as one types, the reply's encoding and cost in segments (GSM-7 160/153, UCS-2 70/67).
 */
export function SmsComposerInfo({ channel, text, isNote, recipient }: Props) {
  const { t } = useI18n();
  if (isNote || !repliesAreSms(channel)) return null;
  const counter = smsCounter(channel, text);
  const state = recipient?.state ?? 'ok';
  return (
    <>
      {state !== 'ok' ? (
        <p className="composer__warning" role="alert" data-testid="composer-unreachable">
          <IconAlert size={14} />{' '}
          {state === 'opted_out'
            ? t('sms.optedOut')
            : t('sms.unreachable', { reason: recipient?.stateReason ?? state })}
        </p>
      ) : null}
      {counter ? (
        <p className="composer__counter" data-testid="sms-counter" aria-live="polite">
          {t('sms.counter', {
            encoding: t(counter.encoding === 'GSM-7' ? 'sms.encoding.gsm' : 'sms.encoding.ucs2'),
            segments: t('sms.segments', { count: counter.segments }),
            left: t('sms.left', { count: counter.remaining }),
          })}
          {strayUnicode(counter.unicodeCharacters) ? (
            <span className="composer__counter-why">
              {' '}
              {/* The translator isolates the characters, so none can reorder the sentence. */}
              {t('sms.unicodeBecause', { chars: counter.unicodeCharacters.join(' ') })}
            </span>
          ) : null}
        </p>
      ) : null}
    </>
  );
}
