import type { ReactNode } from 'react';
import type { Counts, Locale, Team, User } from '../api/types';
import { LOCALES, LOCALE_NAMES, formatNumber } from '../i18n/core';
import type { MessageKey } from '../i18n/core';
import { useI18n } from '../i18n/I18nContext';
import type { BaseView, ViewId } from '../lib/filters';
import { formatRoute } from '../lib/router';
import type { Route } from '../lib/router';
import { Avatar } from './ConversationRow';
import {
  IconBell,
  IconChart,
  IconClose,
  IconFlame,
  IconKeyboard,
  IconLayers,
  IconLogout,
  IconSettings,
  IconUser,
  IconUserOff,
  IconUsers,
  IconVolume,
  IconVolumeOff,
} from './Icons';

interface Props {
  me: User;
  route: Route;
  counts: Counts | null;
  teams: Team[];
  connected: boolean;
  /** The agent's own switch: away agents get no new conversations from routing. */
  available: boolean;
  onToggleAvailable: () => void;
  soundOn: boolean;
  notificationPermission: NotificationPermission | 'unsupported';
  onLocale: (locale: Locale) => void;
  onToggleSound: () => void;
  onEnableNotifications: () => void;
  onShowShortcuts: () => void;
  onLogout: () => void;
  onClose?: () => void;
}

const VIEWS: { view: BaseView; label: MessageKey; icon: ReactNode }[] = [
  { view: 'mine', label: 'nav.mine', icon: <IconUser /> },
  { view: 'unassigned', label: 'nav.unassigned', icon: <IconUserOff /> },
  { view: 'all', label: 'nav.all', icon: <IconLayers /> },
  { view: 'escalated', label: 'nav.escalated', icon: <IconFlame /> },
];

function NavLink({
  href,
  current,
  icon,
  label,
  count,
  tone,
}: {
  href: string;
  current: boolean;
  icon: ReactNode;
  label: string;
  count?: string;
  tone?: 'danger';
}) {
  return (
    <a
      className={current ? 'nav__link is-current' : 'nav__link'}
      href={href}
      aria-current={current ? 'page' : undefined}
    >
      {icon}
      <span className="nav__label" dir="auto">
        {label}
      </span>
      {count !== undefined ? (
        <span className={tone ? `nav__count nav__count--${tone}` : 'nav__count'}>{count}</span>
      ) : null}
    </a>
  );
}

/** Views with live counts, the teams, and the agent's own controls (language, sound, logout). */
export function NavSidebar({
  me,
  route,
  counts,
  teams,
  connected,
  available,
  onToggleAvailable,
  soundOn,
  notificationPermission,
  onLocale,
  onToggleSound,
  onEnableNotifications,
  onShowShortcuts,
  onLogout,
  onClose,
}: Props) {
  const { t, locale } = useI18n();
  const currentView: ViewId | null = route.screen === 'inbox' ? route.filter.view : null;
  const count = (n: number | undefined) => (n === undefined ? undefined : formatNumber(locale, n));
  const viewHref = (view: ViewId) =>
    formatRoute({ screen: 'inbox', filter: { view }, conversationId: null });

  return (
    <nav className="nav" aria-label={t('nav.main')}>
      <div className="nav__brand">
        <span className="nav__logo" aria-hidden="true">
          <svg viewBox="0 0 32 32" width="28" height="28">
            <rect width="32" height="32" rx="8" fill="currentColor" />
            <path
              d="M9 11h14M9 16h10M9 21h6"
              stroke="#fff"
              strokeWidth="2.5"
              strokeLinecap="round"
            />
          </svg>
        </span>
        <span className="nav__name">{t('app.name')}</span>
        <span
          className={connected ? 'conn conn--on' : 'conn conn--off'}
          role="status"
          title={connected ? t('conn.online') : t('conn.offline')}
        >
          <span className="conn__dot" aria-hidden="true" />
          <span className="visually-hidden">
            {connected ? t('conn.online') : t('conn.offline')}
          </span>
        </span>
        {onClose ? (
          <button
            type="button"
            className="icon-button nav__close"
            aria-label={t('common.close')}
            onClick={onClose}
          >
            <IconClose />
          </button>
        ) : null}
      </div>

      <div className="nav__scroll">
        <h2 className="nav__heading">{t('nav.views')}</h2>
        <ul className="nav__list">
          {VIEWS.map((v) => (
            <li key={v.view}>
              <NavLink
                href={viewHref(v.view)}
                current={currentView === v.view}
                icon={v.icon}
                label={t(v.label)}
                count={count(counts?.[v.view])}
                tone={v.view === 'escalated' && (counts?.escalated ?? 0) > 0 ? 'danger' : undefined}
              />
            </li>
          ))}
        </ul>

        {teams.length ? (
          <>
            <h2 className="nav__heading">{t('nav.teams')}</h2>
            <ul className="nav__list">
              {teams.map((team) => (
                <li key={team.id}>
                  <NavLink
                    href={viewHref(`team:${team.id}`)}
                    current={currentView === `team:${team.id}`}
                    icon={<IconUsers />}
                    label={team.name}
                    count={count(counts?.teams[team.id] ?? 0)}
                  />
                </li>
              ))}
            </ul>
          </>
        ) : null}

        <ul className="nav__list">
          <li>
            <NavLink
              href={formatRoute({ screen: 'customers', tab: 'churn' })}
              current={route.screen === 'customers'}
              icon={<IconUsers />}
              label={t('nav.customers')}
            />
          </li>
        </ul>

        <ul className="nav__list nav__list--bottom">
          <li>
            <NavLink
              href={formatRoute({ screen: 'reports' })}
              current={route.screen === 'reports'}
              icon={<IconChart />}
              label={t('nav.reports')}
            />
          </li>
          {me.role === 'admin' ? (
            <li>
              <NavLink
                href={formatRoute({ screen: 'settings', tab: 'agents' })}
                current={route.screen === 'settings'}
                icon={<IconSettings />}
                label={t('nav.settings')}
              />
            </li>
          ) : null}
        </ul>
      </div>

      <div className="nav__footer">
        <div className="nav__me">
          <Avatar name={me.name} seed={me.id} size={32} />
          <div className="nav__me-text">
            <span className="nav__me-name" dir="auto">
              {me.name}
            </span>
            <span className="nav__me-role">{t(`settings.role.${me.role}`)}</span>
          </div>
        </div>
        <button
          type="button"
          className={available ? 'presence presence--on' : 'presence presence--off'}
          role="switch"
          aria-checked={available}
          data-testid="availability"
          title={t('presence.hint')}
          onClick={onToggleAvailable}
        >
          <span className="presence__dot" aria-hidden="true" />
          {available ? t('presence.available') : t('presence.away')}
        </button>
        <label className="nav__locale">
          <span className="visually-hidden">{t('nav.language')}</span>
          <select
            data-testid="locale-select"
            value={locale}
            onChange={(e) => onLocale(e.target.value as Locale)}
            aria-label={t('nav.language')}
          >
            {LOCALES.map((l) => (
              <option key={l} value={l} lang={l}>
                {LOCALE_NAMES[l]}
              </option>
            ))}
          </select>
        </label>
        <div className="nav__tools">
          <button
            type="button"
            className="icon-button"
            aria-pressed={soundOn}
            aria-label={soundOn ? t('notify.soundOn') : t('notify.soundOff')}
            title={soundOn ? t('notify.soundOn') : t('notify.soundOff')}
            onClick={onToggleSound}
          >
            {soundOn ? <IconVolume /> : <IconVolumeOff />}
          </button>
          {notificationPermission !== 'unsupported' ? (
            <button
              type="button"
              className={notificationPermission === 'granted' ? 'icon-button is-on' : 'icon-button'}
              aria-label={
                notificationPermission === 'granted'
                  ? t('notify.enabled')
                  : notificationPermission === 'denied'
                    ? t('notify.denied')
                    : t('notify.enable')
              }
              title={
                notificationPermission === 'granted'
                  ? t('notify.enabled')
                  : notificationPermission === 'denied'
                    ? t('notify.denied')
                    : t('notify.enable')
              }
              disabled={notificationPermission !== 'default'}
              onClick={onEnableNotifications}
            >
              <IconBell />
            </button>
          ) : null}
          <button
            type="button"
            className="icon-button"
            aria-label={t('nav.shortcuts')}
            title={`${t('nav.shortcuts')} (?)`}
            onClick={onShowShortcuts}
          >
            <IconKeyboard />
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label={t('nav.logout')}
            title={t('nav.logout')}
            onClick={onLogout}
          >
            <IconLogout />
          </button>
        </div>
      </div>
    </nav>
  );
}
