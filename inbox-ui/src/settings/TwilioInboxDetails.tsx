import { api } from '../api/client';
import type { Inbox } from '../api/types';
import type { MessageKey } from '../i18n/core';
import { useI18n } from '../i18n/I18nContext';
import type { Run } from './parts';
import { VoicePromptsEditor } from './VoicePromptsEditor';

const WEBHOOK_LABELS: Readonly<Record<string, MessageKey>> = {
  sms: 'twilio.webhook.sms',
  status: 'twilio.webhook.status',
  voice: 'twilio.webhook.voice',
  'voice-status': 'twilio.webhook.voice-status',
};

/** The same settings with the given ones changed (masked credentials pass through unchanged). */
export function withSettings(
  inbox: Inbox,
  changes: Record<string, unknown>,
): Record<string, unknown> {
  return { ...(inbox.settings ?? {}), ...changes };
}

/**
 * Under an SMS or Phone inbox: its number, the exact webhook addresses to paste into the Twilio
 * console (each with what Twilio calls that field), and for Phone the missed-call text and the
 * voice prompts.
 */
export function TwilioInboxDetails({ inbox, run }: { inbox: Inbox; run: Run }) {
  const { t } = useI18n();
  const urls = inbox.webhookUrls ?? [];
  return (
    <div className="twilio-details">
      {inbox.routingKey ? (
        <p className="muted">
          {t('twilio.number')}: <span dir="ltr">{inbox.routingKey}</span>
        </p>
      ) : null}
      {urls.length ? (
        <>
          <strong>{t('twilio.webhooks')}</strong>
          <ul className="twilio-webhooks" data-testid="twilio-webhooks">
            {urls.map((url) => {
              const key = WEBHOOK_LABELS[url.slice(url.lastIndexOf('/') + 1)];
              return (
                <li key={url}>
                  {key ? <span className="muted">{t(key)}</span> : null}
                  <code dir="ltr">{url}</code>
                </li>
              );
            })}
          </ul>
        </>
      ) : null}
      {inbox.channel === 'voice' ? (
        <>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={inbox.settings?.['missedCallSms'] === true}
              onChange={(e) =>
                void run(
                  () =>
                    api.updateInbox(inbox.id, {
                      settings: withSettings(inbox, { missedCallSms: e.target.checked }),
                    }),
                  t('common.saved'),
                )
              }
            />{' '}
            {t('twilio.missedCallSms')}
          </label>
          <VoicePromptsEditor inbox={inbox} run={run} />
        </>
      ) : null}
    </div>
  );
}
