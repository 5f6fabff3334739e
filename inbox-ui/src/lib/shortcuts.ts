import type { MessageKey } from '../i18n/core';

export type ShortcutAction =
  | 'next'
  | 'prev'
  | 'reply'
  | 'note'
  | 'resolve'
  | 'assignMe'
  | 'search'
  | 'contact'
  | 'help'
  | 'escape';

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /** Whether the key went to a text field, where letters must stay letters. */
  inEditable: boolean;
}

const KEYS: Record<string, ShortcutAction> = {
  j: 'next',
  k: 'prev',
  r: 'reply',
  n: 'note',
  e: 'resolve',
  a: 'assignMe',
  s: 'search',
  i: 'contact',
  '?': 'help',
};

/** Maps a key press to an app action; single letters only outside text fields. */
export function shortcutFor(e: KeyLike): ShortcutAction | null {
  if (e.key === 'Escape') return 'escape';
  if (e.ctrlKey || e.metaKey || e.altKey || e.inEditable) return null;
  return KEYS[e.key] ?? null;
}

/** The help dialog's rows: keys as shown, and what they do. */
export const SHORTCUT_HELP: { keys: string[]; label: MessageKey }[] = [
  { keys: ['j'], label: 'shortcuts.next' },
  { keys: ['k'], label: 'shortcuts.prev' },
  { keys: ['r'], label: 'shortcuts.reply' },
  { keys: ['n'], label: 'shortcuts.note' },
  { keys: ['e'], label: 'shortcuts.resolve' },
  { keys: ['a'], label: 'shortcuts.assignMe' },
  { keys: ['s'], label: 'shortcuts.search' },
  { keys: ['i'], label: 'shortcuts.contact' },
  { keys: ['?'], label: 'shortcuts.help' },
  { keys: ['Enter'], label: 'shortcuts.send' },
  { keys: ['Shift', 'Enter'], label: 'shortcuts.newline' },
  { keys: ['/'], label: 'shortcuts.canned' },
  { keys: ['Esc'], label: 'shortcuts.escape' },
];

export function isEditableTarget(target: EventTarget | null): boolean {
  if (typeof HTMLElement === 'undefined' || !(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = (target as HTMLInputElement).type;
  return !['checkbox', 'radio', 'button', 'submit', 'reset', 'file'].includes(type);
}

/**
 * The conversation `j`/`k` moves to: the next or previous one in the list, staying at the ends,
 * and the first one when none is open (or the open one is not in the list).
 */
export function neighbourId(
  items: readonly { id: string }[],
  openId: string | null,
  direction: 'next' | 'prev',
): string | undefined {
  const index = items.findIndex((c) => c.id === openId);
  const nextIndex = direction === 'next' ? index + 1 : index < 0 ? 0 : index - 1;
  return items[Math.max(0, Math.min(items.length - 1, nextIndex))]?.id;
}
