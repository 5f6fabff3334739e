import { useState } from 'react';
import { api } from '../api/client';
import type { Channel, Inbox, User } from '../api/types';
import { CHANNELS } from '../api/types';
import { SelectField, TextField } from '../components/Field';
import { useI18n } from '../i18n/I18nContext';
import { InboxHealth } from './InboxHealth';
import { TelegramInboxForm } from './TelegramInboxForm';
import { MemberPicker } from './MemberPicker';
import { EmailInboxForm } from './EmailInboxForm';
import { CreateCard, RowButton, RowsCard } from './parts';
import type { Run } from './parts';
import { TwilioInboxDetails } from './TwilioInboxDetails';
import { TwilioInboxForm } from './TwilioInboxForm';

/** Create inboxes, turn them on and off, and choose who works in each. */
export function InboxesSection({
  inboxes,
  users,
  run,
}: {
  inboxes: Inbox[];
  users: User[];
  run: Run;
}) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [channel, setChannel] = useState<Channel>('webchat');
  const [editing, setEditing] = useState<string | null>(null);

  async function create() {
    if (await run(() => api.createInbox({ name: name.trim(), channel }), t('common.saved')))
      setName('');
  }

  return (
    <>
      <CreateCard title={t('settings.newInbox')} submitLabel={t('common.create')} onSubmit={create}>
        <TextField label={t('settings.name')} required value={name} onValue={setName} dir="auto" />
        <SelectField
          label={t('settings.channel')}
          value={channel}
          options={CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) }))}
          onValue={setChannel}
        />
      </CreateCard>
      <TelegramInboxForm run={run} />
      <EmailInboxForm run={run} />
      <TwilioInboxForm run={run} />
      <RowsCard title={t('settings.inboxes')} count={inboxes.length}>
        {inboxes.map((inbox) => (
          <li key={inbox.id} className="rows__item">
            <div className="rows__main">
              <strong dir="auto">{inbox.name}</strong>
              <span className="muted">{t(`channel.${inbox.channel}`)}</span>
              <span className={inbox.enabled ? 'badge badge--ok' : 'badge'}>
                {inbox.enabled ? t('settings.enabled') : t('settings.disabled')}
              </span>
              <span className="muted">
                {t('settings.membersCount', { count: inbox.memberIds?.length ?? 0 })}
              </span>
            </div>
            <div className="rows__actions">
              <RowButton onClick={() => setEditing(editing === inbox.id ? null : inbox.id)}>
                {t('settings.members')}
              </RowButton>
              <RowButton
                onClick={() =>
                  void run(() => api.updateInbox(inbox.id, { enabled: !inbox.enabled }))
                }
              >
                {inbox.enabled ? t('settings.disable') : t('settings.enable')}
              </RowButton>
            </div>
            {inbox.health ? <InboxHealth inbox={inbox} /> : null}
            {inbox.channel === 'sms' || inbox.channel === 'voice' ? (
              <TwilioInboxDetails inbox={inbox} run={run} />
            ) : null}
            {editing === inbox.id ? (
              <MemberPicker
                users={users}
                value={inbox.memberIds ?? []}
                onChange={(memberIds) => void run(() => api.updateInbox(inbox.id, { memberIds }))}
              />
            ) : null}
          </li>
        ))}
      </RowsCard>
    </>
  );
}
