import { Suspense, lazy, useCallback, useEffect, useState } from 'react';
import { MenuButton } from '../components/MenuButton';
import { api } from '../api/client';
import type { User } from '../api/types';
import { useI18n } from '../i18n/I18nContext';
import { useReferenceData } from '../lib/referenceData';
import { SETTINGS_TABS } from '../lib/router';
import type { SettingsTab } from '../lib/router';
import { AgentsSection } from './AgentsSection';
import { BotSection } from './BotSection';
import { CannedSection } from './CannedSection';
import { InboxesSection } from './InboxesSection';
import type { Run } from './parts';
import { TeamsSection } from './TeamsSection';

// The complaint ladder's sections, each its own chunk: an admin opens one at a time.
const LADDER_SECTIONS = {
  routing: lazy(() => import('./ladder/RoutingSection')),
  hours: lazy(() => import('./ladder/BusinessHoursSection')),
  sla: lazy(() => import('./ladder/SlaSection')),
  rules: lazy(() => import('./ladder/RulesSection')),
  categories: lazy(() => import('./ladder/CategoriesSection')),
  webhooks: lazy(() => import('./ladder/WebhooksSection')),
};
const OrdersImportSection = lazy(() => import('./OrdersImportSection'));

interface Props {
  me: User;
  tab: SettingsTab;
  onTab: (tab: SettingsTab) => void;
  onOpenMenu: () => void;
}

const SETTINGS_LISTS = {
  users: api.users,
  teams: api.teams,
  inboxes: api.inboxes,
  canned: api.canned,
};

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Admin settings: agents, teams, inboxes, canned responses, and the complaint ladder (routing,
 * business hours, SLA policies, rules, complaint categories, webhooks). Loaded on demand.
 */
export default function Settings({ me, tab, onTab, onOpenMenu }: Props) {
  const { t } = useI18n();
  const { lists, failed, reload } = useReferenceData(SETTINGS_LISTS);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);

  useEffect(() => void reload(), [reload]);
  useEffect(() => setMessage(null), [tab]);

  const run: Run = useCallback(
    async (action, success) => {
      setMessage(null);
      try {
        await action();
        if (success) setMessage({ text: success, error: false });
        void reload();
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
        <MenuButton onClick={onOpenMenu} />
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
      {failed ? (
        <p className="notice notice--error" role="alert">
          {t('error.referenceData')}{' '}
          <button type="button" className="link-button" onClick={() => void reload()}>
            {t('common.retry')}
          </button>
        </p>
      ) : null}
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
          <AgentsSection
            users={lists.users}
            teams={lists.teams}
            me={me}
            run={run}
            onInvited={(text) => setMessage({ text, error: false })}
          />
        ) : null}
        {tab === 'teams' ? (
          <TeamsSection teams={lists.teams} users={lists.users} run={run} />
        ) : null}
        {tab === 'inboxes' ? (
          <InboxesSection inboxes={lists.inboxes} users={lists.users} run={run} />
        ) : null}
        {tab === 'canned' ? <CannedSection canned={lists.canned} run={run} /> : null}
        {isLadderTab(tab) ? (
          <Suspense fallback={<p className="muted">{t('app.loading')}</p>}>
            <LadderSection tab={tab} run={run} />
          </Suspense>
        ) : null}
        {tab === 'bot' ? <BotSection run={run} /> : null}
        {tab === 'orders' ? (
          <Suspense fallback={<p className="muted">{t('app.loading')}</p>}>
            <OrdersImportSection run={run} />
          </Suspense>
        ) : null}
      </div>
    </div>
  );
}

type LadderTab = keyof typeof LADDER_SECTIONS;
const isLadderTab = (tab: SettingsTab): tab is LadderTab => tab in LADDER_SECTIONS;

function LadderSection({ tab, run }: { tab: LadderTab; run: Run }) {
  const Section = LADDER_SECTIONS[tab];
  return <Section key={tab} run={run} />;
}
