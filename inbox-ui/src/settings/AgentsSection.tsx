import { useState } from 'react';
import { api } from '../api/client';
import type { Role, Team, User } from '../api/types';
import { ROLES } from '../api/types';
import { SelectField, TextField } from '../components/Field';
import { useI18n } from '../i18n/I18nContext';
import { Card, CreateCard } from './parts';
import type { Run } from './parts';
import { AgentPhoneCells } from './AgentPhoneCells';

/** Invite agents; change their role, deactivate and reactivate them. */
export function AgentsSection({
  users,
  teams,
  me,
  run,
  onInvited,
}: {
  users: User[];
  teams: Team[];
  me: User;
  run: Run;
  onInvited: (text: string) => void;
}) {
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('agent');
  const [teamId, setTeamId] = useState('');
  const roleOptions = ROLES.map((r) => ({ value: r, label: t(`settings.role.${r}`) }));

  async function invite() {
    const holder: { result?: { user: User; password?: string } } = {};
    const ok = await run(async () => {
      holder.result = await api.createUser({
        email: email.trim(),
        name: name.trim(),
        role,
        teamIds: teamId ? [teamId] : [],
      });
    });
    const result = holder.result;
    if (ok && result) {
      onInvited(
        result.password
          ? t('settings.invited', { email: result.user.email, password: result.password })
          : t('settings.invitedNoPassword', { email: result.user.email }),
      );
      setEmail('');
      setName('');
    }
  }

  return (
    <>
      <CreateCard title={t('settings.invite')} submitLabel={t('settings.invite')} onSubmit={invite}>
        <TextField label={t('settings.name')} required value={name} onValue={setName} dir="auto" />
        <TextField
          label={t('settings.email')}
          required
          type="email"
          dir="ltr"
          value={email}
          onValue={setEmail}
        />
        <SelectField
          label={t('settings.role')}
          value={role}
          options={roleOptions}
          onValue={setRole}
        />
        {teams.length ? (
          <SelectField
            label={t('conv.team')}
            value={teamId}
            options={[
              { value: '', label: t('conv.noTeam') },
              ...teams.map((team) => ({ value: team.id, label: team.name })),
            ]}
            onValue={setTeamId}
          />
        ) : null}
      </CreateCard>
      <Card title={t('settings.agents')}>
        <table className="table">
          <thead>
            <tr>
              <th>{t('settings.name')}</th>
              <th>{t('settings.email')}</th>
              <th>{t('settings.role')}</th>
              <th>{t('settings.active')}</th>
              <th>{t('settings.phone')}</th>
              <th title={t('settings.onDutyHint')}>{t('settings.onDuty')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id} className={u.active ? undefined : 'is-inactive'}>
                <td dir="auto">{u.name}</td>
                <td dir="ltr">{u.email}</td>
                <td>
                  <select
                    aria-label={t('settings.role')}
                    value={u.role}
                    disabled={u.id === me.id}
                    onChange={(e) =>
                      void run(
                        () => api.updateUser(u.id, { role: e.target.value as Role }),
                        t('common.saved'),
                      )
                    }
                  >
                    {roleOptions.map((r) => (
                      <option key={r.value} value={r.value}>
                        {r.label}
                      </option>
                    ))}
                  </select>
                </td>
                <td>{u.active ? t('settings.active') : t('settings.inactive')}</td>
                <AgentPhoneCells user={u} run={run} />
                <td>
                  {u.id !== me.id ? (
                    <button
                      type="button"
                      className={
                        u.active
                          ? 'button button--ghost button--small'
                          : 'button button--secondary button--small'
                      }
                      onClick={() =>
                        void run(
                          () => api.updateUser(u.id, { active: !u.active }),
                          t('common.saved'),
                        )
                      }
                    >
                      {u.active ? t('settings.deactivate') : t('settings.activate')}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
    </>
  );
}
