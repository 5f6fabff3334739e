import type { Conversation, User } from '../api/types';

export type NotificationKind = 'assigned' | 'escalated';

export interface NotificationDecision {
  kind: NotificationKind;
  conversation: Conversation;
}

/**
 * Decides whether a conversation event deserves a notification for this user. `previous` is
 * the last version the app saw (null when new). Assignment notifies only on the change to "me",
 * not on every later update; escalations notify supervisors and admins.
 */
export function assignmentNotice(
  previous: Conversation | null,
  next: Conversation,
  me: Pick<User, 'id'>,
): NotificationDecision | null {
  const nowMine = next.assignee?.id === me.id;
  const wasMine = previous?.assignee?.id === me.id;
  if (nowMine && !wasMine && next.status !== 'resolved')
    return { kind: 'assigned', conversation: next };
  return null;
}

export function escalationNotice(
  conversation: Conversation,
  me: Pick<User, 'role'>,
): NotificationDecision | null {
  return me.role === 'supervisor' || me.role === 'admin'
    ? { kind: 'escalated', conversation }
    : null;
}

export function desktopPermission(): NotificationPermission | 'unsupported' {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

export function showDesktopNotification(
  title: string,
  body: string,
  tag: string,
  onClick: () => void,
): void {
  if (desktopPermission() !== 'granted' || document.hasFocus()) return;
  try {
    const n = new Notification(title, { body, tag });
    n.onclick = () => {
      window.focus();
      onClick();
      n.close();
    };
  } catch {
    // Some browsers only allow notifications from a service worker; the in-app toast remains.
  }
}
