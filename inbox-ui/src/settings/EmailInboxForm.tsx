import { useState } from 'react';
import { api, ApiError } from '../api/client';
import { Field, TextField } from '../components/Field';
import { useI18n } from '../i18n/I18nContext';
import { mailboxUrls, type MailboxForm } from '../lib/mailboxUrls';
import { Card } from './parts';
import type { Run } from './parts';

const initial: MailboxForm & {
  name: string;
  from: string;
  signature: string;
  firstSyncDays: string;
  markSeen: boolean;
} = {
  name: '',
  from: '',
  imapHost: '',
  imapPort: '',
  imapTls: true,
  mailbox: 'INBOX',
  smtpHost: '',
  smtpPort: '',
  smtpTls: true,
  user: '',
  password: '',
  signature: '',
  firstSyncDays: '14',
  markSeen: false,
};

/**
 * Adds a mailbox: IMAP and SMTP servers, the login (the password is write-only: never shown
 * again), the address replies come from, a signature, how far back the first sync goes and
 * whether taken mail is marked as read. "Test connection" logs in to both before saving.
 */
export function EmailInboxForm({ run }: { run: Run }) {
  const { t } = useI18n();
  const [form, setForm] = useState(initial);
  const [test, setTest] = useState<{ ok: boolean; text: string } | null>(null);
  const [testing, setTesting] = useState(false);
  const set = (patch: Partial<typeof initial>) => {
    setForm((f) => ({ ...f, ...patch }));
    setTest(null);
  };
  const settings = () => ({
    ...mailboxUrls(form),
    from: form.from.trim(),
    signature: form.signature,
    firstSyncDays: Math.max(0, Number(form.firstSyncDays) || 0),
    markSeen: form.markSeen,
  });

  async function testConnection() {
    setTesting(true);
    try {
      await api.testInbox({ channel: 'email', settings: settings() });
      setTest({ ok: true, text: t('email.testOk') });
    } catch (err) {
      setTest({ ok: false, text: err instanceof ApiError ? err.message : String(err) });
    } finally {
      setTesting(false);
    }
  }

  async function create() {
    const ok = await run(
      () =>
        api.createInbox({
          channel: 'email',
          settings: settings(),
          ...(form.name.trim() ? { name: form.name.trim() } : {}),
        }),
      t('common.saved'),
    );
    if (ok) setForm(initial);
  }

  const check = (label: string, checked: boolean, onValue: (v: boolean) => void) => (
    <label className="field field--check">
      <input type="checkbox" checked={checked} onChange={(e) => onValue(e.target.checked)} />
      <span>{label}</span>
    </label>
  );

  return (
    <Card title={t('email.newMailbox')}>
      <form
        className="form email-inbox-form"
        data-testid="email-inbox-form"
        onSubmit={(e) => {
          e.preventDefault();
          void create();
        }}
      >
        <div className="form__row">
          <TextField
            label={t('settings.name')}
            value={form.name}
            onValue={(name) => set({ name })}
          />
          <TextField
            label={t('email.fromAddress')}
            required
            dir="ltr"
            placeholder="Acme Support <support@example.com>"
            value={form.from}
            onValue={(from) => set({ from })}
          />
        </div>
        <fieldset className="form__row">
          <legend>{t('email.incoming')}</legend>
          <TextField
            label={t('email.host')}
            required
            dir="ltr"
            value={form.imapHost}
            onValue={(imapHost) => set({ imapHost })}
          />
          <TextField
            label={t('email.port')}
            inputMode="numeric"
            dir="ltr"
            placeholder={form.imapTls ? '993' : '143'}
            value={form.imapPort}
            onValue={(imapPort) => set({ imapPort })}
          />
          {check(t('email.tls'), form.imapTls, (imapTls) => set({ imapTls }))}
          <TextField
            label={t('email.mailbox')}
            dir="ltr"
            value={form.mailbox}
            onValue={(mailbox) => set({ mailbox })}
          />
        </fieldset>
        <fieldset className="form__row">
          <legend>{t('email.outgoing')}</legend>
          <TextField
            label={t('email.host')}
            required
            dir="ltr"
            value={form.smtpHost}
            onValue={(smtpHost) => set({ smtpHost })}
          />
          <TextField
            label={t('email.port')}
            inputMode="numeric"
            dir="ltr"
            placeholder={form.smtpTls ? '465' : '587'}
            value={form.smtpPort}
            onValue={(smtpPort) => set({ smtpPort })}
          />
          {check(t('email.tls'), form.smtpTls, (smtpTls) => set({ smtpTls }))}
        </fieldset>
        <div className="form__row">
          <TextField
            label={t('email.user')}
            required
            dir="ltr"
            autoComplete="off"
            value={form.user}
            onValue={(user) => set({ user })}
          />
          <TextField
            label={t('email.password')}
            required
            type="password"
            autoComplete="new-password"
            value={form.password}
            onValue={(password) => set({ password })}
          />
        </div>
        <div className="form__row">
          <TextField
            label={t('email.firstSyncDays')}
            inputMode="numeric"
            value={form.firstSyncDays}
            onValue={(firstSyncDays) => set({ firstSyncDays })}
          />
          {check(t('email.markSeen'), form.markSeen, (markSeen) => set({ markSeen }))}
        </div>
        <Field label={t('email.signature')} grow>
          <textarea
            rows={3}
            dir="auto"
            value={form.signature}
            onChange={(e) => set({ signature: e.target.value })}
          />
        </Field>
        {test ? (
          <p
            className={test.ok ? 'notice notice--ok' : 'notice notice--error'}
            role="status"
            data-testid="email-test-result"
          >
            {test.text}
          </p>
        ) : null}
        <div className="form__actions">
          <button
            type="button"
            className="button button--secondary"
            disabled={testing}
            onClick={() => void testConnection()}
          >
            {testing ? t('email.testing') : t('email.testConnection')}
          </button>
          <button type="submit" className="button button--primary">
            {t('common.create')}
          </button>
        </div>
      </form>
    </Card>
  );
}
