import { useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../../api/client';
import type { CallbackOutcome, Conversation, ConversationWithContact } from '../../api/types';
import { CALLBACK_OUTCOMES } from '../../api/types';
import { useI18n } from '../../i18n/I18nContext';
import { Dialog } from '../Dialog';
import { Field, SelectField } from '../Field';
import { ChannelIcon } from '../Icons';

/** The label the phone menu puts on a conversation whose caller asked to be called back. */
export const CALLBACK_LABEL = 'callback_requested';

/** The number to call: the one the conversation came from, else the contact's first phone. */
export function callbackNumber(conv: ConversationWithContact): string | undefined {
  if (conv.recipient?.kind === 'phone') return conv.recipient.value;
  return conv.contact.identities.find((i) => i.kind === 'phone')?.value;
}

/**
 * "Call back" for phone conversations: the number to dial (a tel: link for the agent's own
 * phone) and the outcome, recorded in the thread as a note. Stands out while the caller's
 * request is open.
 */
export function CallbackButton({
  conv,
  onRecorded,
}: {
  conv: ConversationWithContact;
  onRecorded: (conversation: Conversation, text: string) => void;
}) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [outcome, setOutcome] = useState<CallbackOutcome>('reached');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const number = callbackNumber(conv);
  const requested = conv.labels.includes(CALLBACK_LABEL);
  if (conv.channel !== 'voice' && !requested) return null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await api.callback(conv.id, outcome, note.trim() || undefined);
      setOpen(false);
      setNote('');
      onRecorded(result.conversation, t('callback.recorded'));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <button
        type="button"
        className={requested ? 'button button--primary' : 'button button--secondary'}
        data-testid="callback-button"
        title={requested ? t('callback.requested') : t('callback.action')}
        onClick={() => setOpen(true)}
      >
        <ChannelIcon channel="voice" size={16} /> {t('callback.action')}
      </button>
      {open ? (
        <Dialog
          title={t('callback.title', { name: conv.contact.name })}
          onClose={() => setOpen(false)}
          footer={
            <>
              <button type="button" className="button button--ghost" onClick={() => setOpen(false)}>
                {t('common.cancel')}
              </button>
              <button
                type="submit"
                form="callback-form"
                className="button button--primary"
                disabled={busy}
              >
                {t('callback.record')}
              </button>
            </>
          }
        >
          <form id="callback-form" className="form" onSubmit={(e) => void submit(e)}>
            {number ? (
              <p>
                <a className="button button--secondary" href={`tel:${number}`} dir="ltr">
                  {t('callback.dial', { number })}
                </a>
              </p>
            ) : (
              <p className="muted">{t('callback.noNumber')}</p>
            )}
            <SelectField
              label={t('callback.outcome')}
              value={outcome}
              options={CALLBACK_OUTCOMES.map((o) => ({
                value: o,
                label: t(`callback.outcome.${o}`),
              }))}
              onValue={setOutcome}
            />
            <Field label={t('callback.note')}>
              <textarea
                rows={2}
                dir="auto"
                value={note}
                onChange={(e) => setNote(e.target.value)}
              />
            </Field>
            {error ? (
              <p className="form__error" role="alert">
                {error}
              </p>
            ) : null}
          </form>
        </Dialog>
      ) : null}
    </>
  );
}
