import { useCallback, useEffect, useState } from 'react';
import { customersApi, type MergeReason, type MergeSuggestion } from '../../api/customers';
import type { Contact, User } from '../../api/types';
import { formatNumber } from '../../i18n/core';
import type { Translate } from '../../i18n/core';
import { useI18n } from '../../i18n/I18nContext';
import { CustomerBadges } from '../CustomerBadges';
import { Avatar } from '../ConversationRow';
import { formatPercent } from './ChurnList';

function reasonText(r: MergeReason, t: Translate): string {
  return t(`merges.reason.${r.kind}`, { a: r.a, b: r.b });
}

function ContactCard({
  contact,
  kept,
  onKeep,
  name,
}: {
  contact: Contact;
  kept: boolean;
  onKeep: () => void;
  name: string;
}) {
  const { t } = useI18n();
  return (
    <div
      className={`merge__contact${kept ? ' merge__contact--kept' : ''}`}
      data-testid="merge-contact"
    >
      <div className="customers__who">
        <Avatar name={contact.name || '?'} seed={contact.id} />
        <strong dir="auto" className="customers__name">
          {contact.name || t('contact.unnamed')}
        </strong>
        <CustomerBadges tier={contact.tier} segment={contact.clv?.segment} />
      </div>
      {contact.identities.length ? (
        <ul className="merge__identities">
          {contact.identities.map((i) => (
            <li key={`${i.kind}:${i.value}`}>
              <span className="muted">{t(`contact.identity.${i.kind}`)}</span>{' '}
              <bdi dir="ltr">{i.value}</bdi>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">{t('merges.noIdentities')}</p>
      )}
      <label className="merge__keep">
        <input type="radio" name={name} checked={kept} onChange={onKeep} />{' '}
        {kept ? t('merges.kept') : t('merges.keep')}
      </label>
    </div>
  );
}

interface Done {
  text: string;
  undo?: { targetId: string; mergeId: string };
}

/** Possible duplicates side by side: keep one, merge (undo for a day) or dismiss for good. */
export function MergeList({ me }: { me: User }) {
  const { t, locale } = useI18n();
  const [items, setItems] = useState<MergeSuggestion[] | null>(null);
  const [keep, setKeep] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<Done | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    customersApi.suggestions().then(
      (r) => setItems(r.items),
      (e: Error) => setError(t('customers.loadFailed', { message: e.message })),
    );
  }, [t]);
  useEffect(load, [load]);

  const run = async (work: () => Promise<Done>) => {
    setBusy(true);
    setError(null);
    try {
      setDone(await work());
      load();
    } catch (e) {
      setError(t('merges.failed', { message: (e as Error).message }));
    } finally {
      setBusy(false);
    }
  };

  const merge = (s: MergeSuggestion) =>
    run(async () => {
      const targetId = keep[s.id] ?? s.contacts[0].id;
      const r = await customersApi.accept(s.id, targetId);
      return {
        text: t('merges.merged', { name: r.contact.name || t('contact.unnamed') }),
        undo: { targetId, mergeId: r.mergeId },
      };
    });
  const dismiss = (s: MergeSuggestion) =>
    run(async () => {
      await customersApi.dismiss(s.id);
      return { text: t('merges.dismissed') };
    });
  const undo = (u: { targetId: string; mergeId: string }) =>
    run(async () => {
      await customersApi.undoMerge(u.targetId, u.mergeId);
      return { text: t('merges.undone') };
    });
  const refresh = () =>
    run(async () => {
      const r = await customersApi.refreshSuggestions();
      return { text: t('merges.refreshed', { count: formatNumber(locale, r.open) }) };
    });

  return (
    <section className="card" aria-labelledby="merges-title">
      <div className="customers__bar">
        <h2 id="merges-title">{t('customers.tab.merges')}</h2>
        {me.role !== 'agent' ? (
          <button
            type="button"
            className="button button--secondary"
            disabled={busy}
            onClick={() => void refresh()}
          >
            {t('merges.refresh')}
          </button>
        ) : null}
      </div>
      <p className="muted">{t('merges.hint')}</p>
      {error ? (
        <p className="notice notice--error" role="alert">
          {error}
        </p>
      ) : null}
      {done ? (
        <p className="notice" role="status" data-testid="merge-done">
          {done.text}{' '}
          {done.undo ? (
            <button
              type="button"
              className="link-button"
              disabled={busy}
              onClick={() => void undo(done.undo!)}
            >
              {t('merges.undo')}
            </button>
          ) : null}
        </p>
      ) : null}
      {items === null ? (
        <p className="muted" aria-busy="true">
          {t('app.loading')}
        </p>
      ) : items.length === 0 ? (
        <p className="muted">{t('merges.empty')}</p>
      ) : (
        <ul className="merge__list">
          {items.map((s) => {
            const kept = keep[s.id] ?? s.contacts[0].id;
            return (
              <li key={s.id} className="merge" data-testid="merge-suggestion">
                <div className="merge__why">
                  <span className="badge badge--segment">
                    {t('merges.score', { percent: formatPercent(s.score, locale) })}
                  </span>
                  <ul className="customers__reasons">
                    {s.reasons.map((r) => (
                      <li key={r.kind} dir="auto">
                        {reasonText(r, t)}
                      </li>
                    ))}
                  </ul>
                </div>
                <div className="merge__pair">
                  {s.contacts.map((c) => (
                    <ContactCard
                      key={c.id}
                      contact={c}
                      name={`keep-${s.id}`}
                      kept={kept === c.id}
                      onKeep={() => setKeep((k) => ({ ...k, [s.id]: c.id }))}
                    />
                  ))}
                </div>
                <div className="merge__actions">
                  <button
                    type="button"
                    className="button button--primary"
                    disabled={busy}
                    onClick={() => void merge(s)}
                  >
                    {t('merges.merge')}
                  </button>
                  <button
                    type="button"
                    className="button button--secondary"
                    disabled={busy}
                    onClick={() => void dismiss(s)}
                  >
                    {t('merges.dismiss')}
                  </button>
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
