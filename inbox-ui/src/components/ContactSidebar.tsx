import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../api/client';
import type { ContactOrders, ContactPatch } from '../api/client';
import type { Channel, Contact, Conversation } from '../api/types';
import { CHANNELS } from '../api/types';
import { LOCALE_NAMES, isLocale } from '../i18n/core';
import { useI18n } from '../i18n/I18nContext';
import {
  formatBirthday,
  formatDate,
  formatDateTime,
  formatMessageTime,
  formatMoney,
} from '../lib/format';
import { Avatar } from './ConversationRow';
import { ChannelIcon, IconClose, IconPlus } from './Icons';
import { TelegramLinkButton } from './TelegramLinkButton';
import { tierLabel } from '../lib/tiers';

interface Props {
  contact: Contact;
  currentConversationId: string;
  now: number;
  onOpenConversation: (id: string) => void;
  onContactChange: (contact: Contact) => void;
  onClose?: () => void;
}

function attributeText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

const SEGMENT_KEYS = {
  champions: 'crm.segment.champions',
  loyal: 'crm.segment.loyal',
  potential: 'crm.segment.potential',
  new: 'crm.segment.new',
  need_attention: 'crm.segment.need_attention',
  at_risk: 'crm.segment.at_risk',
  hibernating: 'crm.segment.hibernating',
} as const;

/** The segment's name in the agent's language (an unknown one as the server wrote it). */
export function segmentLabel(
  segment: string,
  t: (key: (typeof SEGMENT_KEYS)[keyof typeof SEGMENT_KEYS]) => string,
): string {
  for (const [name, key] of Object.entries(SEGMENT_KEYS)) if (name === segment) return t(key);
  return segment;
}

/** What the team knows about the customer, editable, and every conversation they have had. */
export function ContactSidebar({
  contact,
  currentConversationId,
  now,
  onOpenConversation,
  onContactChange,
  onClose,
}: Props) {
  const { t, locale } = useI18n();
  const [editing, setEditing] = useState(false);
  const [history, setHistory] = useState<Conversation[] | null>(null);
  const [orders, setOrders] = useState<ContactOrders | null>(null);

  useEffect(() => {
    let cancelled = false;
    setOrders(null);
    api
      .contactOrders(contact.id)
      .then((page) => !cancelled && setOrders(page))
      .catch(() => !cancelled && setOrders(null));
    return () => {
      cancelled = true;
    };
  }, [contact.id, contact.lifetimeValue]);

  useEffect(() => {
    let cancelled = false;
    setHistory(null);
    api
      .contactConversations(contact.id)
      .then((page) => !cancelled && setHistory(page.items))
      .catch(() => !cancelled && setHistory([]));
    return () => {
      cancelled = true;
    };
  }, [contact.id]);

  const languageName = contact.language
    ? isLocale(contact.language)
      ? LOCALE_NAMES[contact.language]
      : contact.language
    : null;
  const attributes = Object.entries(contact.customAttributes ?? {});

  return (
    <aside className="contact" aria-label={t('contact.title')}>
      <header className="contact__header">
        <Avatar name={contact.name || '?'} seed={contact.id} size={56} />
        <div className="contact__title">
          <h2 dir="auto">{contact.name || t('contact.unnamed')}</h2>
          {contact.tier ? (
            <span className="badge badge--tier" data-testid="contact-tier">
              {tierLabel(contact.tier, t)}
            </span>
          ) : null}
          {contact.clv ? (
            <span className="badge badge--segment" data-testid="contact-segment">
              {segmentLabel(contact.clv.segment, t)}
            </span>
          ) : null}
        </div>
        {onClose ? (
          <button
            type="button"
            className="icon-button contact__close"
            aria-label={t('conv.hideContact')}
            onClick={onClose}
          >
            <IconClose />
          </button>
        ) : null}
      </header>

      {editing ? (
        <ContactForm
          contact={contact}
          onCancel={() => setEditing(false)}
          onSaved={(c) => {
            onContactChange(c);
            setEditing(false);
          }}
        />
      ) : (
        <>
          <section className="contact__section">
            <h3>{t('contact.identities')}</h3>
            <ul className="identities">
              {contact.identities.map((id) => (
                <li key={`${id.kind}:${id.value}`}>
                  <span className="identities__kind">{t(`contact.identity.${id.kind}`)}</span>
                  <span className="identities__value" dir="ltr">
                    {id.value}
                  </span>
                  {id.state !== 'ok' ? (
                    <span
                      className="badge badge--failing"
                      title={id.stateReason ?? ''}
                      data-testid="identity-unreachable"
                    >
                      {t('contact.unreachable', {
                        reason: id.stateReason ?? t(`contact.reach.${id.state}`),
                      })}
                    </span>
                  ) : null}
                </li>
              ))}
            </ul>
          </section>

          <section className="contact__section">
            <dl className="facts">
              <dt>{t('contact.language')}</dt>
              <dd>{languageName ?? <span className="muted">{t('common.notSet')}</span>}</dd>
              <dt>{t('contact.preferredChannel')}</dt>
              <dd>
                {contact.preferredChannel ? (
                  <span className="inline-icon">
                    <ChannelIcon channel={contact.preferredChannel} size={14} />{' '}
                    {t(`channel.${contact.preferredChannel}`)}
                  </span>
                ) : (
                  <span className="muted">{t('common.notSet')}</span>
                )}
              </dd>
              <dt>{t('contact.birthday')}</dt>
              <dd>
                {contact.birthday ? (
                  formatBirthday(contact.birthday, locale)
                ) : (
                  <span className="muted">{t('common.notSet')}</span>
                )}
              </dd>
              {contact.tier ? (
                <>
                  <dt>{t('contact.tier')}</dt>
                  <dd dir="auto">{tierLabel(contact.tier, t)}</dd>
                </>
              ) : null}
              {contact.lifetimeValue !== null && contact.lifetimeValue !== undefined ? (
                <>
                  <dt>{t('contact.lifetimeValue')}</dt>
                  <dd>{formatMoney(contact.lifetimeValue, locale)}</dd>
                </>
              ) : null}
            </dl>
            <p className="contact__dates muted">
              {contact.lastSeenAt ? (
                <span>
                  {t('contact.lastSeen', { date: formatDateTime(contact.lastSeenAt, locale) })}
                </span>
              ) : null}
              <span>{t('contact.since', { date: formatDate(contact.createdAt, locale) })}</span>
            </p>
          </section>

          {contact.clv ? (
            <section className="contact__section" data-testid="contact-clv">
              <h3>{t('crm.value')}</h3>
              <dl className="facts">
                <dt>{t('crm.predictedValue', { days: contact.clv.horizonDays })}</dt>
                <dd>{formatMoney(contact.clv.predictedValue, locale)}</dd>
                <dt>{t('crm.expectedPurchases')}</dt>
                <dd>{formatMoney(contact.clv.expectedPurchases.toFixed(1), locale)}</dd>
                <dt>{t('crm.probabilityAlive')}</dt>
                <dd>{`${formatMoney(Math.round(contact.clv.probabilityAlive * 100), locale)}%`}</dd>
              </dl>
              <p className="muted">
                {t('crm.asOf', { date: formatDate(contact.clv.asOf, locale) })}
              </p>
            </section>
          ) : null}

          {orders && orders.count ? (
            <section className="contact__section" data-testid="contact-orders">
              <h3>{t('crm.orders', { count: orders.count })}</h3>
              <ul className="orders">
                {orders.items.slice(0, 5).map((o) => (
                  <li key={o.id} className="orders__row">
                    <span dir="ltr" className="orders__id">
                      {o.externalId}
                    </span>
                    <span className="muted">{formatDate(o.placedAt, locale)}</span>
                    <span className={Number(o.amount) < 0 ? 'orders__refund' : undefined}>
                      {formatMoney(o.amount, locale)} {o.currency}
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}

          <section className="contact__section">
            <h3>{t('contact.notes')}</h3>
            {contact.notes ? (
              <p className="contact__notes" dir="auto">
                {contact.notes}
              </p>
            ) : (
              <p className="muted">{t('common.notSet')}</p>
            )}
          </section>

          <section className="contact__section">
            <h3>{t('contact.attributes')}</h3>
            {attributes.length ? (
              <dl className="facts">
                {attributes.map(([key, value]) => (
                  <div key={key} className="facts__row">
                    <dt dir="auto">{key}</dt>
                    <dd dir="auto">{attributeText(value)}</dd>
                  </div>
                ))}
              </dl>
            ) : (
              <p className="muted">{t('contact.noAttributes')}</p>
            )}
          </section>

          <div className="contact__section">
            <button
              type="button"
              className="button button--secondary button--block"
              onClick={() => setEditing(true)}
            >
              {t('contact.edit')}
            </button>
          </div>
          <TelegramLinkButton contactId={contact.id} />
        </>
      )}

      <section className="contact__section">
        <h3>
          {t('contact.history')}
          {history ? (
            <span className="muted"> · {t('contact.historyCount', { count: history.length })}</span>
          ) : null}
        </h3>
        {history === null ? (
          <p className="muted">{t('app.loading')}</p>
        ) : (
          <ul className="history">
            {history.map((c) => (
              <li key={c.id}>
                <button
                  type="button"
                  className={
                    c.id === currentConversationId ? 'history__item is-current' : 'history__item'
                  }
                  aria-current={c.id === currentConversationId ? 'true' : undefined}
                  onClick={() => onOpenConversation(c.id)}
                >
                  <ChannelIcon channel={c.channel} size={16} title={t(`channel.${c.channel}`)} />
                  <span className="history__text">
                    <span className="history__preview" dir="auto">
                      {c.lastMessagePreview || t('list.noPreview')}
                    </span>
                    <span className="history__meta">
                      <span className={`badge badge--status-${c.status}`}>
                        {t(`status.${c.status}`)}
                      </span>
                      {c.lastMessageAt ? (
                        <time dateTime={c.lastMessageAt}>
                          {formatMessageTime(c.lastMessageAt, locale, now)}
                        </time>
                      ) : null}
                    </span>
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
    </aside>
  );
}

interface AttributeRow {
  key: string;
  value: string;
}

function ContactForm({
  contact,
  onCancel,
  onSaved,
}: {
  contact: Contact;
  onCancel: () => void;
  onSaved: (c: Contact) => void;
}) {
  const { t } = useI18n();
  const [name, setName] = useState(contact.name);
  const [language, setLanguage] = useState(contact.language ?? '');
  const [preferred, setPreferred] = useState<string>(contact.preferredChannel ?? '');
  const [birthday, setBirthday] = useState(contact.birthday?.slice(0, 10) ?? '');
  const [tier, setTier] = useState(contact.tier ?? '');
  const [notes, setNotes] = useState(contact.notes ?? '');
  const [rows, setRows] = useState<AttributeRow[]>(() =>
    Object.entries(contact.customAttributes ?? {}).map(([key, value]) => ({
      key,
      value: attributeText(value),
    })),
  );
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setSaving(true);
    setError(null);
    const customAttributes: Record<string, unknown> = {};
    for (const row of rows) {
      const key = row.key.trim();
      if (!key) continue;
      // Keep numbers and booleans typed when they were typed that way.
      const original = contact.customAttributes?.[key];
      customAttributes[key] =
        typeof original === 'number' &&
        row.value.trim() !== '' &&
        Number.isFinite(Number(row.value))
          ? Number(row.value)
          : typeof original === 'boolean' && (row.value === 'true' || row.value === 'false')
            ? row.value === 'true'
            : row.value;
    }
    const patch: ContactPatch = {
      name: name.trim(),
      language: language || null,
      preferredChannel: (preferred || null) as Channel | null,
      birthday: birthday || null,
      tier: tier.trim() || null,
      notes,
      customAttributes,
    };
    try {
      onSaved(await api.updateContact(contact.id, patch));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setSaving(false);
    }
  }

  return (
    <form className="contact__section form" onSubmit={(e) => void submit(e)}>
      <label className="field">
        <span>{t('contact.name')}</span>
        <input value={name} onChange={(e) => setName(e.target.value)} dir="auto" />
      </label>
      <label className="field">
        <span>{t('contact.language')}</span>
        <select value={language} onChange={(e) => setLanguage(e.target.value)}>
          <option value="">{t('common.notSet')}</option>
          {(['en', 'fa', 'ru'] as const).map((l) => (
            <option key={l} value={l}>
              {LOCALE_NAMES[l]}
            </option>
          ))}
          {language && !isLocale(language) ? <option value={language}>{language}</option> : null}
        </select>
      </label>
      <label className="field">
        <span>{t('contact.preferredChannel')}</span>
        <select value={preferred} onChange={(e) => setPreferred(e.target.value)}>
          <option value="">{t('common.notSet')}</option>
          {CHANNELS.map((c) => (
            <option key={c} value={c}>
              {t(`channel.${c}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('contact.birthday')}</span>
        <input type="date" value={birthday} onChange={(e) => setBirthday(e.target.value)} />
      </label>
      <label className="field">
        <span>{t('contact.tier')}</span>
        <input value={tier} onChange={(e) => setTier(e.target.value)} dir="auto" />
      </label>
      <label className="field">
        <span>{t('contact.notes')}</span>
        <textarea
          rows={3}
          value={notes}
          onChange={(e) => setNotes(e.target.value)}
          dir="auto"
          placeholder={t('contact.notesPlaceholder')}
        />
      </label>
      <fieldset className="field attributes-editor">
        <legend>{t('contact.attributes')}</legend>
        {rows.map((row, i) => (
          <div key={i} className="attributes-editor__row">
            <input
              aria-label={t('contact.attrKey')}
              placeholder={t('contact.attrKey')}
              value={row.key}
              dir="auto"
              onChange={(e) =>
                setRows((r) => r.map((x, j) => (j === i ? { ...x, key: e.target.value } : x)))
              }
            />
            <input
              aria-label={t('contact.attrValue')}
              placeholder={t('contact.attrValue')}
              value={row.value}
              dir="auto"
              onChange={(e) =>
                setRows((r) => r.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)))
              }
            />
            <button
              type="button"
              className="icon-button icon-button--small"
              aria-label={t('contact.removeAttribute', { key: row.key })}
              onClick={() => setRows((r) => r.filter((_, j) => j !== i))}
            >
              <IconClose size={14} />
            </button>
          </div>
        ))}
        <button
          type="button"
          className="link-button"
          onClick={() => setRows((r) => [...r, { key: '', value: '' }])}
        >
          <IconPlus size={14} /> {t('contact.addAttribute')}
        </button>
      </fieldset>
      {error ? (
        <p className="form__error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="form__actions">
        <button type="button" className="button button--ghost" onClick={onCancel}>
          {t('common.cancel')}
        </button>
        <button type="submit" className="button button--primary" disabled={saving}>
          {t('common.save')}
        </button>
      </div>
    </form>
  );
}
