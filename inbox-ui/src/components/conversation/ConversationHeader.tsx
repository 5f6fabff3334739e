import type { ConversationPatch } from '../../api/client';
import type { Conversation, ConversationWithContact, Team, User } from '../../api/types';
import { PRIORITIES, STATUSES } from '../../api/types';
import { levelKey } from '../../i18n/core';
import { useI18n } from '../../i18n/I18nContext';
import { ChannelIcon, IconBack, IconCheck, IconFlame, IconSidebar } from '../Icons';
import { CallbackButton } from './CallbackButton';
import { LabelEditor } from './LabelEditor';
import { InboxAddress } from '../InboxAddress';

interface Props {
  conv: ConversationWithContact;
  contactName: string;
  me: User;
  users: User[];
  teams: Team[];
  knownLabels: string[];
  showContact: boolean;
  onBack: () => void;
  onEscalate: () => void;
  onToggleContact: () => void;
  onPatch: (body: ConversationPatch) => void;
  /** A call back was recorded (phone conversations): the changed conversation and a notice. */
  onCallbackRecorded?: (conversation: Conversation, notice: string) => void;
}

/** Who the conversation is with, and its actions: escalate, resolve, assign, team, status, labels. */
export function ConversationHeader({
  conv,
  contactName,
  me,
  users,
  teams,
  knownLabels,
  showContact,
  onBack,
  onEscalate,
  onToggleContact,
  onPatch,
  onCallbackRecorded,
}: Props) {
  const { t } = useI18n();
  const activeUsers = users.filter((u) => u.active || u.id === conv.assignee?.id);
  const labelsAvailable = knownLabels.filter((l) => !conv.labels.includes(l));

  return (
    <header className="conv-header">
      <div className="conv-header__top">
        <button
          type="button"
          className="icon-button conv-header__back"
          onClick={onBack}
          aria-label={t('conv.back')}
        >
          <IconBack />
        </button>
        <div className="conv-header__title">
          <h1 dir="auto">{contactName}</h1>
          <span className="conv-header__sub">
            <ChannelIcon channel={conv.channel} size={14} />{' '}
            <InboxAddress inboxId={conv.inboxId} channel={conv.channel} />
            {conv.level > 0 ? (
              <span className={`badge badge--level badge--level-${conv.level}`}>
                {t(levelKey(conv.level))}
              </span>
            ) : null}
          </span>
        </div>
        <div className="conv-header__buttons">
          {onCallbackRecorded ? (
            <CallbackButton conv={conv} onRecorded={onCallbackRecorded} />
          ) : null}
          <button
            type="button"
            className="button button--secondary"
            onClick={onEscalate}
            disabled={conv.level >= 4}
            title={t('conv.escalateTitle')}
          >
            <IconFlame size={16} /> {t('conv.escalate')}
          </button>
          {conv.status === 'resolved' ? (
            <button
              type="button"
              className="button button--secondary"
              onClick={() => onPatch({ status: 'open' })}
            >
              {t('conv.reopen')}
            </button>
          ) : (
            <button
              type="button"
              className="button button--success"
              onClick={() => onPatch({ status: 'resolved' })}
            >
              <IconCheck size={16} /> {t('conv.resolve')}
            </button>
          )}
          <button
            type="button"
            className="icon-button"
            aria-pressed={showContact}
            aria-label={showContact ? t('conv.hideContact') : t('conv.showContact')}
            title={showContact ? t('conv.hideContact') : t('conv.showContact')}
            onClick={onToggleContact}
          >
            <IconSidebar />
          </button>
        </div>
      </div>
      <div className="conv-header__controls" role="group" aria-label={t('conv.actions')}>
        <label className="control">
          <span>{t('conv.assignee')}</span>
          <select
            value={conv.assignee?.id ?? ''}
            onChange={(e) => onPatch({ assigneeId: e.target.value || null })}
          >
            <option value="">{t('list.unassigned')}</option>
            <option value={me.id}>
              {me.name} ({t('common.you')})
            </option>
            {activeUsers
              .filter((u) => u.id !== me.id)
              .map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
          </select>
        </label>
        <label className="control">
          <span>{t('conv.team')}</span>
          <select
            value={conv.team?.id ?? ''}
            onChange={(e) => onPatch({ teamId: e.target.value || null })}
          >
            <option value="">{t('conv.noTeam')}</option>
            {teams.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </select>
        </label>
        <label className="control">
          <span>{t('conv.status')}</span>
          <select value={conv.status} onChange={(e) => onPatch({ status: e.target.value })}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="control">
          <span>{t('conv.priority')}</span>
          <select value={conv.priority} onChange={(e) => onPatch({ priority: e.target.value })}>
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {t(`priority.${p}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="conv-header__row">
        <LabelEditor
          labels={conv.labels}
          available={labelsAvailable}
          onChange={(labels) => onPatch({ labels })}
        />
        {conv.assignee?.id !== me.id ? (
          <button
            type="button"
            className="link-button"
            onClick={() => onPatch({ assigneeId: me.id })}
          >
            {t('conv.assignMe')}
          </button>
        ) : null}
      </div>
    </header>
  );
}
