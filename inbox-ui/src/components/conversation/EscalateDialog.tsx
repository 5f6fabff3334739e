import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../../api/client';
import type { Conversation, Escalation } from '../../api/types';
import { levelKey } from '../../i18n/core';
import { useI18n } from '../../i18n/I18nContext';
import { formatDateTime } from '../../lib/format';
import { Dialog } from '../Dialog';
import { Field, SelectField } from '../Field';
import { IconFlame } from '../Icons';

/** Raises the complaint level with a reason, and shows the escalations so far. */
export function EscalateDialog({
  conversation,
  onClose,
  onEscalated,
}: {
  conversation: Conversation;
  onClose: () => void;
  onEscalated: (c: Conversation) => void;
}) {
  const { t, locale } = useI18n();
  const [reason, setReason] = useState('');
  const [level, setLevel] = useState('');
  const [history, setHistory] = useState<Escalation[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api
      .escalations(conversation.id)
      .then((page) => setHistory(page.items))
      .catch(() => setHistory([]));
  }, [conversation.id]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!reason.trim()) return;
    setBusy(true);
    setError(null);
    try {
      onEscalated(
        await api.escalate(conversation.id, reason.trim(), level ? Number(level) : undefined),
      );
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  }

  const higher = [1, 2, 3, 4].filter((l) => l > conversation.level);
  return (
    <Dialog
      title={t('conv.escalateTitle')}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="button button--ghost" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button
            type="submit"
            form="escalate-form"
            className="button button--danger"
            disabled={busy || !reason.trim()}
          >
            <IconFlame size={16} /> {t('conv.escalate')}
          </button>
        </>
      }
    >
      <form id="escalate-form" className="form" onSubmit={(e) => void submit(e)}>
        <p className="muted">{t('conv.escalateHelp')}</p>
        <Field label={t('conv.escalateReason')}>
          <textarea
            required
            rows={3}
            dir="auto"
            value={reason}
            placeholder={t('conv.escalateReasonPlaceholder')}
            onChange={(e) => setReason(e.target.value)}
          />
        </Field>
        <SelectField
          label={t('conv.escalateLevel')}
          value={level}
          options={[
            { value: '', label: t('conv.escalateNext') },
            ...higher.map((l) => ({ value: String(l), label: t(levelKey(l)) })),
          ]}
          onValue={setLevel}
        />
        {error ? (
          <p className="form__error" role="alert">
            {error}
          </p>
        ) : null}
      </form>
      {history.length ? (
        <section className="escalations">
          <h3>{t('conv.escalationHistory')}</h3>
          <ol>
            {history.map((h, i) => (
              <li key={i}>
                <span dir="auto">
                  {t('conv.escalationEntry', {
                    from: h.fromLevel,
                    to: h.toLevel,
                    reason: h.reason,
                  })}
                </span>
                <span className="muted">
                  {h.actor ? (
                    <>
                      <bdi>{h.actor.name}</bdi>
                      {' · '}
                    </>
                  ) : null}
                  {formatDateTime(h.createdAt, locale)}
                </span>
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </Dialog>
  );
}
