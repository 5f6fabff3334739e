import { useCallback, useEffect, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { api } from '../api/client';
import type { CannedResponse, Channel, Inbox, Role, Team, User } from '../api/types';
import { CHANNELS, ROLES } from '../api/types';
import { IconMenu } from '../components/Icons';
import { useI18n } from '../i18n/I18nContext';
import { TEMPLATE_VARIABLES } from '../lib/canned';
import { SETTINGS_TABS } from '../lib/router';
import { InboxHealth } from './InboxHealth';
import { TelegramInboxForm } from './TelegramInboxForm';
import type { SettingsTab } from '../lib/router';

interface Props {
  me: User;
  tab: SettingsTab;
  onTab: (tab: SettingsTab) => void;
  onOpenMenu: () => void;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Admin settings: agents, teams, inboxes and canned responses. Loaded on demand. */
export default function Settings({ me, tab, onTab, onOpenMenu }: Props) {
  const { t } = useI18n();
  const [users, setUsers] = useState<User[]>([]);
  const [teams, setTeams] = useState<Team[]>([]);
  const [inboxes, setInboxes] = useState<Inbox[]>([]);
  const [canned, setCanned] = useState<CannedResponse[]>([]);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);

  const reload = useCallback(() => {
    api.users().then(
      (p) => setUsers(p.items),
      () => {},
    );
    api.teams().then(
      (p) => setTeams(p.items),
      () => {},
    );
    api.inboxes().then(
      (p) => setInboxes(p.items),
      () => {},
    );
    api.canned().then(
      (p) => setCanned(p.items),
      () => {},
    );
  }, []);
  useEffect(reload, [reload]);
  useEffect(() => setMessage(null), [tab]);

  const run = useCallback(
    async (action: () => Promise<unknown>, success?: string) => {
      setMessage(null);
      try {
        await action();
        if (success) setMessage({ text: success, error: false });
        reload();
        return true;
      } catch (err) {
        setMessage({ text: errorText(err), error: true });
        return false;
      }
    },
    [reload],
  );

  if (me.role !== 'admin') {
    return <p className="pad">{t('settings.adminOnly')}</p>;
  }

  return (
    <div className="settings">
      <header className="settings__header">
        <button
          type="button"
          className="icon-button list-pane__menu"
          aria-label={t('nav.menu')}
          onClick={onOpenMenu}
        >
          <IconMenu />
        </button>
        <h1>{t('settings.title')}</h1>
      </header>
      <div className="tabs" role="tablist" aria-label={t('settings.title')}>
        {SETTINGS_TABS.map((x) => (
          <button
            key={x}
            type="button"
            role="tab"
            className="tabs__tab"
            aria-selected={tab === x}
            onClick={() => onTab(x)}
          >
            {t(`settings.${x}`)}
          </button>
        ))}
      </div>
      {message ? (
        <p
          className={message.error ? 'notice notice--error' : 'notice'}
          role={message.error ? 'alert' : 'status'}
        >
          {message.text}
        </p>
      ) : null}
      <div className="settings__body" role="tabpanel">
        {tab === 'agents' ? (
          <Agents
            users={users}
            teams={teams}
            me={me}
            run={run}
            onInvited={(text) => setMessage({ text, error: false })}
          />
        ) : null}
        {tab === 'teams' ? <Teams teams={teams} users={users} run={run} /> : null}
        {tab === 'inboxes' ? <Inboxes inboxes={inboxes} users={users} run={run} /> : null}
        {tab === 'canned' ? <Canned canned={canned} run={run} /> : null}
      </div>
    </div>
  );
}

type Run = (action: () => Promise<unknown>, success?: string) => Promise<boolean>;

function Card({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="card">
      <h2>{title}</h2>
      {children}
    </section>
  );
}

function Agents({
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

  async function invite(e: FormEvent) {
    e.preventDefault();
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
      <Card title={t('settings.invite')}>
        <form className="form form--inline" onSubmit={(e) => void invite(e)}>
          <label className="field">
            <span>{t('settings.name')}</span>
            <input required value={name} onChange={(e) => setName(e.target.value)} dir="auto" />
          </label>
          <label className="field">
            <span>{t('settings.email')}</span>
            <input
              required
              type="email"
              dir="ltr"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          </label>
          <label className="field">
            <span>{t('settings.role')}</span>
            <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(`settings.role.${r}`)}
                </option>
              ))}
            </select>
          </label>
          {teams.length ? (
            <label className="field">
              <span>{t('conv.team')}</span>
              <select value={teamId} onChange={(e) => setTeamId(e.target.value)}>
                <option value="">{t('conv.noTeam')}</option>
                {teams.map((team) => (
                  <option key={team.id} value={team.id}>
                    {team.name}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          <button type="submit" className="button button--primary">
            {t('settings.invite')}
          </button>
        </form>
      </Card>
      <Card title={t('settings.agents')}>
        <table className="table">
          <thead>
            <tr>
              <th>{t('settings.name')}</th>
              <th>{t('settings.email')}</th>
              <th>{t('settings.role')}</th>
              <th>{t('settings.active')}</th>
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
                    {ROLES.map((r) => (
                      <option key={r} value={r}>
                        {t(`settings.role.${r}`)}
                      </option>
                    ))}
                  </select>
                </td>
                <td>{u.active ? t('settings.active') : t('settings.inactive')}</td>
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

function MemberPicker({
  users,
  value,
  onChange,
}: {
  users: User[];
  value: string[];
  onChange: (ids: string[]) => void;
}) {
  const { t } = useI18n();
  return (
    <fieldset className="members">
      <legend>{t('settings.members')}</legend>
      {users
        .filter((u) => u.active)
        .map((u) => (
          <label key={u.id} className="check">
            <input
              type="checkbox"
              checked={value.includes(u.id)}
              onChange={(e) =>
                onChange(e.target.checked ? [...value, u.id] : value.filter((x) => x !== u.id))
              }
            />
            <span dir="auto">{u.name}</span>
          </label>
        ))}
    </fieldset>
  );
}

function Teams({ teams, users, run }: { teams: Team[]; users: User[]; run: Run }) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [editing, setEditing] = useState<string | null>(null);

  async function create(e: FormEvent) {
    e.preventDefault();
    if (await run(() => api.createTeam({ name: name.trim(), description }), t('common.saved'))) {
      setName('');
      setDescription('');
    }
  }

  return (
    <>
      <Card title={t('settings.newTeam')}>
        <form className="form form--inline" onSubmit={(e) => void create(e)}>
          <label className="field">
            <span>{t('settings.name')}</span>
            <input required value={name} onChange={(e) => setName(e.target.value)} dir="auto" />
          </label>
          <label className="field field--grow">
            <span>{t('settings.description')}</span>
            <input
              value={description}
              onChange={(e) => setDescription(e.target.value)}
              dir="auto"
            />
          </label>
          <button type="submit" className="button button--primary">
            {t('common.create')}
          </button>
        </form>
      </Card>
      <Card title={t('settings.teams')}>
        {teams.length === 0 ? <p className="muted">{t('settings.empty')}</p> : null}
        <ul className="rows">
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
                <button
                  type="button"
                  className="button button--ghost button--small"
                  onClick={() => setEditing(editing === team.id ? null : team.id)}
                >
                  {t('common.edit')}
                </button>
                <button
                  type="button"
                  className="button button--ghost button--small button--danger-text"
                  onClick={() => {
                    if (window.confirm(t('common.confirmDelete', { name: team.name })))
                      void run(() => api.deleteTeam(team.id));
                  }}
                >
                  {t('common.delete')}
                </button>
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
        </ul>
      </Card>
    </>
  );
}

function Inboxes({ inboxes, users, run }: { inboxes: Inbox[]; users: User[]; run: Run }) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [channel, setChannel] = useState<Channel>('webchat');
  const [editing, setEditing] = useState<string | null>(null);

  async function create(e: FormEvent) {
    e.preventDefault();
    if (await run(() => api.createInbox({ name: name.trim(), channel }), t('common.saved')))
      setName('');
  }

  return (
    <>
      <Card title={t('settings.newInbox')}>
        <form className="form form--inline" onSubmit={(e) => void create(e)}>
          <label className="field">
            <span>{t('settings.name')}</span>
            <input required value={name} onChange={(e) => setName(e.target.value)} dir="auto" />
          </label>
          <label className="field">
            <span>{t('settings.channel')}</span>
            <select value={channel} onChange={(e) => setChannel(e.target.value as Channel)}>
              {CHANNELS.map((c) => (
                <option key={c} value={c}>
                  {t(`channel.${c}`)}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="button button--primary">
            {t('common.create')}
          </button>
        </form>
      </Card>
      <TelegramInboxForm run={run} />
      <Card title={t('settings.inboxes')}>
        {inboxes.length === 0 ? <p className="muted">{t('settings.empty')}</p> : null}
        <ul className="rows">
          {inboxes.map((inbox) => (
            <li key={inbox.id} className="rows__item">
              <div className="rows__main">
                <strong dir="auto">{inbox.name}</strong>
                <span className="muted">{t(`channel.${inbox.channel}`)}</span>
                <span className={inbox.enabled ? 'badge badge--ok' : 'badge'}>
                  {inbox.enabled ? t('settings.enabled') : t('settings.disabled')}
                </span>
                <span className="muted">
                  {t('settings.membersCount', { count: inbox.memberIds.length })}
                </span>
                <InboxHealth inbox={inbox} />
              </div>
              <div className="rows__actions">
                <button
                  type="button"
                  className="button button--ghost button--small"
                  onClick={() => setEditing(editing === inbox.id ? null : inbox.id)}
                >
                  {t('settings.members')}
                </button>
                <button
                  type="button"
                  className="button button--ghost button--small"
                  onClick={() =>
                    void run(() => api.updateInbox(inbox.id, { enabled: !inbox.enabled }))
                  }
                >
                  {inbox.enabled ? t('settings.disable') : t('settings.enable')}
                </button>
              </div>
              {editing === inbox.id ? (
                <MemberPicker
                  users={users}
                  value={inbox.memberIds}
                  onChange={(memberIds) => void run(() => api.updateInbox(inbox.id, { memberIds }))}
                />
              ) : null}
            </li>
          ))}
        </ul>
      </Card>
    </>
  );
}

function CannedForm({
  initial,
  onSubmit,
  onCancel,
  submitLabel,
}: {
  initial: { shortCode: string; content: string };
  onSubmit: (value: { shortCode: string; content: string }) => Promise<boolean>;
  onCancel?: () => void;
  submitLabel: string;
}) {
  const { t } = useI18n();
  const [shortCode, setShortCode] = useState(initial.shortCode);
  const [content, setContent] = useState(initial.content);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const ok = await onSubmit({ shortCode: shortCode.trim().replace(/^\//, ''), content });
    if (ok && !onCancel) {
      setShortCode('');
      setContent('');
    }
  }

  return (
    <form className="form" onSubmit={(e) => void submit(e)}>
      <label className="field">
        <span>{t('settings.shortCode')}</span>
        <input
          required
          pattern="[^\s\/]+"
          value={shortCode}
          onChange={(e) => setShortCode(e.target.value)}
          dir="auto"
        />
      </label>
      <label className="field">
        <span>{t('settings.content')}</span>
        <textarea
          required
          rows={3}
          value={content}
          onChange={(e) => setContent(e.target.value)}
          dir="auto"
        />
      </label>
      <p className="muted small">
        {t('settings.variables')}{' '}
        {TEMPLATE_VARIABLES.map((v) => (
          <code key={v} dir="ltr">
            {v}
          </code>
        ))}
      </p>
      <div className="form__actions">
        {onCancel ? (
          <button type="button" className="button button--ghost" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        ) : null}
        <button type="submit" className="button button--primary">
          {submitLabel}
        </button>
      </div>
    </form>
  );
}

function Canned({ canned, run }: { canned: CannedResponse[]; run: Run }) {
  const { t } = useI18n();
  const [editing, setEditing] = useState<string | null>(null);
  return (
    <>
      <Card title={t('settings.newCanned')}>
        <CannedForm
          initial={{ shortCode: '', content: '' }}
          submitLabel={t('common.create')}
          onSubmit={(value) => run(() => api.createCanned(value), t('common.saved'))}
        />
      </Card>
      <Card title={t('settings.canned')}>
        {canned.length === 0 ? <p className="muted">{t('settings.empty')}</p> : null}
        <ul className="rows">
          {canned.map((item) => (
            <li key={item.id} className="rows__item">
              {editing === item.id ? (
                <CannedForm
                  initial={item}
                  submitLabel={t('common.save')}
                  onCancel={() => setEditing(null)}
                  onSubmit={async (value) => {
                    const ok = await run(() => api.updateCanned(item.id, value), t('common.saved'));
                    if (ok) setEditing(null);
                    return ok;
                  }}
                />
              ) : (
                <>
                  <div className="rows__main">
                    <code>/{item.shortCode}</code>
                    <span className="rows__content" dir="auto">
                      {item.content}
                    </span>
                  </div>
                  <div className="rows__actions">
                    <button
                      type="button"
                      className="button button--ghost button--small"
                      onClick={() => setEditing(item.id)}
                    >
                      {t('common.edit')}
                    </button>
                    <button
                      type="button"
                      className="button button--ghost button--small button--danger-text"
                      onClick={() => {
                        if (
                          window.confirm(t('common.confirmDelete', { name: `/${item.shortCode}` }))
                        ) {
                          void run(() => api.deleteCanned(item.id));
                        }
                      }}
                    >
                      {t('common.delete')}
                    </button>
                  </div>
                </>
              )}
            </li>
          ))}
        </ul>
      </Card>
    </>
  );
}
