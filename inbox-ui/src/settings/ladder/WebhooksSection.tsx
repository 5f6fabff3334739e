import { useCallback, useState } from 'react';
import { ladderApi } from '../../api/ladder';
import type { Webhook, WebhookDelivery, WebhookEvent } from '../../api/ladder';
import { TextField } from '../../components/Field';
import { formatNumber } from '../../i18n/core';
import { useAdminI18n } from './i18n';
import { formatDateTime } from '../../lib/format';
import { CreateCard, DeleteButton, RowButton, RowsCard } from '../parts';
import type { Run } from '../parts';
import { Checks } from './SlaSection';
import { errorText, useLoad } from './useLoad';

/** The events a URL can subscribe to (the server's WEBHOOK_EVENTS). */
export const WEBHOOK_EVENTS = [
  'conversation.created',
  'conversation.updated',
  'message.received',
  'message.posted',
  'complaint.created',
  'complaint.changed',
  'complaint.reopened',
  'sla.warning',
  'sla.breached',
  'csat.received',
] as const satisfies readonly WebhookEvent[];

const load = () => ladderApi.webhooks().then((p) => p.items);

/** Outgoing webhooks: URL, events, private addresses; the secret once; the deliveries. */
export default function WebhooksSection({ run }: { run: Run }) {
  const { t } = useAdminI18n();
  const { data: hooks, reload } = useLoad(load, [] as Webhook[]);
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<WebhookEvent[]>(['complaint.created', 'sla.breached']);
  const [allowPrivate, setAllowPrivate] = useState(false);
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);
  const [open, setOpen] = useState<string | null>(null);

  async function create() {
    const holder: { hook?: Webhook } = {};
    const ok = await run(async () => {
      holder.hook = await ladderApi.createWebhook({
        name: name.trim(),
        url: url.trim(),
        events,
        allowPrivate,
      });
    });
    if (ok && holder.hook?.secret) {
      setSecret({ name: holder.hook.name, secret: holder.hook.secret });
      setName('');
      setUrl('');
      void reload();
    }
  }

  async function rotate(hook: Webhook) {
    const holder: { hook?: Webhook } = {};
    const ok = await run(async () => {
      holder.hook = await ladderApi.updateWebhook(hook.id, { rotateSecret: true });
    });
    if (ok && holder.hook?.secret) setSecret({ name: hook.name, secret: holder.hook.secret });
  }

  return (
    <>
      {secret ? (
        <div className="notice secret" role="status" data-testid="webhook-secret">
          <p>{t('webhooks.secretOnce', { name: secret.name })}</p>
          <code dir="ltr">{secret.secret}</code>{' '}
          <button
            type="button"
            className="button button--ghost button--small"
            onClick={() => void navigator.clipboard?.writeText(secret.secret)}
          >
            {t('webhooks.copy')}
          </button>{' '}
          <button type="button" className="link-button" onClick={() => setSecret(null)}>
            {t('common.close')}
          </button>
        </div>
      ) : null}
      <CreateCard title={t('webhooks.new')} submitLabel={t('common.add')} onSubmit={create}>
        <TextField label={t('settings.name')} required dir="auto" value={name} onValue={setName} />
        <TextField
          label={t('webhooks.url')}
          required
          type="url"
          dir="ltr"
          placeholder="https://example.com/hooks/switchboard"
          value={url}
          onValue={setUrl}
          data-testid="webhook-url"
        />
        <Checks
          label={t('webhooks.events')}
          options={WEBHOOK_EVENTS.map((e) => ({ value: e, label: e }))}
          selected={events}
          onToggle={(e) =>
            setEvents(events.includes(e) ? events.filter((x) => x !== e) : [...events, e])
          }
        />
        <label className="field field--check" title={t('webhooks.allowPrivateHint')}>
          <input
            type="checkbox"
            checked={allowPrivate}
            onChange={(e) => setAllowPrivate(e.target.checked)}
          />
          <span>{t('webhooks.allowPrivate')}</span>
        </label>
      </CreateCard>
      <RowsCard title={t('settings.webhooks')} count={hooks.length}>
        {hooks.map((h) => (
          <li key={h.id} className={h.enabled ? 'rows__item' : 'rows__item is-inactive'}>
            <div className="rows__main">
              <strong dir="auto">{h.name}</strong>
              <span className="muted" dir="ltr">
                {h.url}
              </span>
              <span className="muted">{h.events.join(', ')}</span>
              {h.allowPrivate ? <span className="badge">{t('webhooks.private')}</span> : null}
              {h.lastDelivery ? <DeliveryLine delivery={h.lastDelivery} /> : null}
            </div>
            <div className="rows__actions">
              <RowButton onClick={() => setOpen(open === h.id ? null : h.id)}>
                {t('webhooks.deliveries')}
              </RowButton>
              <RowButton
                onClick={() =>
                  void run(
                    () => ladderApi.updateWebhook(h.id, { enabled: !h.enabled }),
                    t('common.saved'),
                  ).then(() => reload())
                }
              >
                {h.enabled ? t('settings.disable') : t('settings.enable')}
              </RowButton>
              <RowButton onClick={() => void rotate(h)}>{t('webhooks.rotate')}</RowButton>
              <DeleteButton
                name={h.name}
                onDelete={() =>
                  void run(() => ladderApi.deleteWebhook(h.id), t('common.saved')).then(() =>
                    reload(),
                  )
                }
              />
            </div>
            {open === h.id ? <Deliveries hook={h} /> : null}
          </li>
        ))}
      </RowsCard>
    </>
  );
}

function DeliveryLine({ delivery: d }: { delivery: WebhookDelivery }) {
  const { t, locale } = useAdminI18n();
  return (
    <span className={`webhook__state webhook__state--${d.state}`}>
      {t(`webhooks.state.${d.state}`)}
      {d.lastStatus !== null ? ` · HTTP ${formatNumber(locale, d.lastStatus)}` : ''}
      {' · '}
      {formatDateTime(d.updatedAt, locale)}
    </span>
  );
}

function Deliveries({ hook }: { hook: Webhook }) {
  const { t } = useAdminI18n();
  const [error, setError] = useState<string | null>(null);
  const loader = useCallback(() => ladderApi.deliveries(hook.id).then((p) => p.items), [hook.id]);
  const { data, reload } = useLoad(loader, [] as WebhookDelivery[]);
  return (
    <div className="webhook__deliveries">
      {error ? (
        <p className="form__error" role="alert">
          {error}
        </p>
      ) : null}
      {data.length === 0 ? <p className="muted">{t('settings.empty')}</p> : null}
      <table className="table">
        <tbody>
          {data.map((d) => (
            <tr key={d.id}>
              <td dir="ltr">{d.event}</td>
              <td>
                <DeliveryLine delivery={d} />
              </td>
              <td>{t('webhooks.attempts', { count: d.attempts })}</td>
              <td dir="ltr">
                <code className="webhook__response">
                  {(d.lastError ?? d.lastResponse ?? '').slice(0, 200)}
                </code>
              </td>
              <td>
                <RowButton
                  onClick={() =>
                    void ladderApi.redeliver(hook.id, d.id).then(
                      () => reload(),
                      (err: unknown) => setError(errorText(err)),
                    )
                  }
                >
                  {t('webhooks.redeliver')}
                </RowButton>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
