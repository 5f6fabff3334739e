import { useState } from 'react';
import { api } from '../api/client';
import { SelectField, TextField } from '../components/Field';
import { useI18n } from '../i18n/I18nContext';
import { CreateCard } from './parts';
import type { Run } from './parts';

type Use = 'both' | 'sms' | 'voice';

/**
 * Adds a Twilio number as an SMS inbox, a Phone inbox or both. The server checks the Account SID
 * and Auth Token with Twilio (and that the number is the account's) before anything is saved;
 * the token field is a password field and is never shown again.
 */
export function TwilioInboxForm({ run }: { run: Run }) {
  const { t } = useI18n();
  const [use, setUse] = useState<Use>('both');
  const [accountSid, setAccountSid] = useState('');
  const [authToken, setAuthToken] = useState('');
  const [phoneNumber, setPhoneNumber] = useState('');
  const [serviceSid, setServiceSid] = useState('');
  const smsOnly = use === 'sms';

  async function submit() {
    const number = phoneNumber.trim();
    const credentials = {
      accountSid: accountSid.trim(),
      authToken: authToken.trim(),
      ...(number ? { phoneNumber: number } : {}),
      ...(smsOnly && serviceSid.trim() ? { messagingServiceSid: serviceSid.trim() } : {}),
    };
    const label = number || serviceSid.trim();
    const kinds = use === 'both' ? (['sms', 'voice'] as const) : ([use] as const);
    const ok = await run(async () => {
      for (const channel of kinds)
        await api.createInbox({
          name: `${t(channel === 'sms' ? 'channel.sms' : 'channel.voice')} ${label}`,
          channel,
          settings: credentials,
        });
    }, t('twilio.added'));
    if (ok) {
      setAuthToken('');
      setPhoneNumber('');
      setServiceSid('');
    }
  }

  return (
    <CreateCard title={t('twilio.add')} submitLabel={t('common.add')} onSubmit={submit}>
      <SelectField
        label={t('twilio.use')}
        value={use}
        options={(['both', 'sms', 'voice'] as const).map((u) => ({
          value: u,
          label: t(`twilio.use.${u}`),
        }))}
        onValue={setUse}
      />
      <TextField
        label={t('twilio.accountSid')}
        required
        dir="ltr"
        autoComplete="off"
        pattern="AC[0-9a-fA-F]{32}"
        placeholder="AC…"
        value={accountSid}
        onValue={setAccountSid}
      />
      <TextField
        label={t('twilio.authToken')}
        required
        type="password"
        dir="ltr"
        autoComplete="new-password"
        value={authToken}
        onValue={setAuthToken}
      />
      <TextField
        label={t('twilio.phoneNumber')}
        required={!smsOnly || !serviceSid.trim()}
        type="tel"
        dir="ltr"
        placeholder="+15555550100"
        value={phoneNumber}
        onValue={setPhoneNumber}
      />
      {smsOnly ? (
        <TextField
          label={t('twilio.serviceSid')}
          dir="ltr"
          pattern="MG[0-9a-fA-F]{32}"
          placeholder="MG…"
          value={serviceSid}
          onValue={setServiceSid}
        />
      ) : null}
      <p className="muted">{t('twilio.hint')}</p>
    </CreateCard>
  );
}
