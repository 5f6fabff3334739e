import { useCallback, useState } from 'react';
import { useI18n } from '../../i18n/I18nContext';
import { useLatest } from '../../lib/hooks';
import { desktopPermission, showDesktopNotification } from '../../lib/notifications';
import type { NotificationDecision } from '../../lib/notifications';
import { beep } from '../../lib/sound';
import type { Toast } from '../Toasts';

const SOUND_KEY = 'sb.sound';

/**
 * Tells the agent about a new assignment or an escalation: a toast, a beep when the sound is on
 * (a choice kept in this browser) and a desktop notification when allowed.
 */
export function useAlerts(
  pushToast: (toast: Omit<Toast, 'id'>) => void,
  openConversation: (id: string) => void,
) {
  const { t } = useI18n();
  const [soundOn, setSoundOn] = useState(() => localStorage.getItem(SOUND_KEY) !== 'off');
  const [permission, setPermission] = useState(desktopPermission);
  const latest = useLatest({ t, soundOn });

  const notify = useCallback(
    (decision: NotificationDecision, reason?: string) => {
      const { t: tr, soundOn: sound } = latest.current;
      const c = decision.conversation;
      const name = c.contact.name || tr('contact.unnamed');
      const title =
        decision.kind === 'assigned'
          ? tr('notify.assigned')
          : tr('notify.escalated', { level: c.level });
      const body =
        decision.kind === 'assigned'
          ? tr('notify.assignedBody', { name, channel: tr(`channel.${c.channel}`) })
          : tr('notify.escalatedBody', { name, reason: reason ?? '' });
      pushToast({
        title,
        body,
        conversationId: c.id,
        tone: decision.kind === 'escalated' ? 'alert' : 'info',
      });
      if (sound) beep();
      showDesktopNotification(title, body, `${decision.kind}:${c.id}`, () =>
        openConversation(c.id),
      );
    },
    [latest, pushToast, openConversation],
  );

  function toggleSound() {
    setSoundOn((on) => {
      localStorage.setItem(SOUND_KEY, on ? 'off' : 'on');
      if (!on) beep();
      return !on;
    });
  }

  async function enableNotifications() {
    if (typeof Notification === 'undefined') return;
    setPermission(await Notification.requestPermission());
  }

  return { notify, soundOn, toggleSound, permission, enableNotifications };
}
