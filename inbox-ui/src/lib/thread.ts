import type { Conversation, ConversationWithContact, Message } from '../api/types';

/** Adds a message to the thread, or updates it in place when it is already there. */
export function mergeMessage(list: Message[], m: Message): Message[] {
  const at = list.findIndex((x) => x.id === m.id);
  if (at >= 0) return list.map((x, i) => (i === at ? { ...x, ...m } : x));
  const next = [...list, m];
  // Events can overtake the HTTP response that created them; keep the thread in time order.
  return next.sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
}

/** Puts a page of earlier messages in front, skipping any the thread already shows. */
export function prependEarlier(list: Message[], earlier: Message[]): Message[] {
  const seen = new Set(list.map((m) => m.id));
  return [...earlier.filter((m) => !seen.has(m.id)), ...list];
}

/** The list's view of an open conversation: the contact shrinks to its id and name. */
export function toSummary(c: ConversationWithContact): Conversation {
  return { ...c, contact: { id: c.contact.id, name: c.contact.name } };
}
