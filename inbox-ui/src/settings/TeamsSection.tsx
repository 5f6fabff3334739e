import { useState } from 'react';
import { api } from '../api/client';
import type { Team, User } from '../api/types';
import { TextField } from '../components/Field';
import { useI18n } from '../i18n/I18nContext';
import { MemberPicker } from './MemberPicker';
import { CreateCard, DeleteButton, RowButton, RowsCard } from './parts';
import type { Run } from './parts';

/** Create and delete teams, and choose their members. */
export function TeamsSection({ teams, users, run }: { teams: Team[]; users: User[]; run: Run }) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [editing, setEditing] = useState<string | null>(null);

  async function create() {
    if (await run(() => api.createTeam({ name: name.trim(), description }), t('common.saved'))) {
      setName('');
      setDescription('');
    }
  }

  return (
    <>
      <CreateCard title={t('settings.newTeam')} submitLabel={t('common.create')} onSubmit={create}>
        <TextField label={t('settings.name')} required value={name} onValue={setName} dir="auto" />
        <TextField
          label={t('settings.description')}
          grow
          value={description}
          onValue={setDescription}
          dir="auto"
        />
      </CreateCard>
      <RowsCard title={t('settings.teams')} count={teams.length}>
        {teams.map((team) => (
          <li key={team.id} className="rows__item">
            <div className="rows__main">
              <strong dir="auto">{team.name}</strong>
              <span className="muted" dir="auto">
                {team.description}
              </span>
              <span className="muted">
                {t('settings.membersCount', { count: team.memberIds.length })}
              </span>
            </div>
            <div className="rows__actions">
              <RowButton onClick={() => setEditing(editing === team.id ? null : team.id)}>
                {t('common.edit')}
              </RowButton>
              <DeleteButton
                name={team.name}
                onDelete={() => void run(() => api.deleteTeam(team.id))}
              />
            </div>
            {editing === team.id ? (
              <MemberPicker
                users={users}
                value={team.memberIds}
                onChange={(memberIds) => void run(() => api.updateTeam(team.id, { memberIds }))}
              />
            ) : null}
          </li>
        ))}
      </RowsCard>
    </>
  );
}
