import type { Conversation, Message } from '../api/types';

export interface ListState {
  /** Which filter the items belong to; pages for another key are ignored. */
  key: string;
  items: Conversation[];
  nextCursor: string | null;
  loading: boolean;
  error: string | null;
  /** True once the first page for `key` has arrived. */
  loaded: boolean;
}

export type ListAction =
  | { type: 'reset'; key: string }
  | { type: 'loading'; key: string }
  | { type: 'page'; key: string; items: Conversation[]; nextCursor: string | null; append: boolean }
  | { type: 'error'; key: string; message: string }
  /** A created/updated/escalated conversation; `matches` says whether it belongs in this list. */
  | { type: 'upsert'; conversation: Conversation; matches: boolean }
  /**
   * A new message. With `conversation` (the server's list fields after it, CONTRACT) that is
   * placed as it is; without, the row is patched from the message alone.
   */
  | {
      type: 'message';
      message: Message;
      activeId: string | null;
      conversation?: Conversation | undefined;
      matches?: boolean | undefined;
    }
  | { type: 'read'; id: string };

export const initialListState: ListState = {
  key: '',
  items: [],
  nextCursor: null,
  loading: false,
  error: null,
  loaded: false,
};

/** Newest activity first, as the server orders the list. */
export function activityTime(c: Conversation): number {
  const t = Date.parse(c.lastMessageAt ?? c.updatedAt ?? c.createdAt);
  return Number.isNaN(t) ? 0 : t;
}

function compare(a: Conversation, b: Conversation): number {
  return activityTime(b) - activityTime(a) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

/**
 * Inserts a conversation at its place by activity. When more pages remain and it sorts after
 * the last loaded row, it is left out: it will arrive with a later page, in order.
 */
function place(items: Conversation[], c: Conversation, morePages: boolean): Conversation[] {
  const without = items.filter((x) => x.id !== c.id);
  let index = without.findIndex((x) => compare(c, x) < 0);
  if (index < 0) {
    if (morePages) return without;
    index = without.length;
  }
  return [...without.slice(0, index), c, ...without.slice(index)];
}

export function listReducer(state: ListState, action: ListAction): ListState {
  switch (action.type) {
    case 'reset':
      return { ...initialListState, key: action.key, loading: true };
    case 'loading':
      return action.key === state.key ? { ...state, loading: true, error: null } : state;
    case 'error':
      return action.key === state.key ? { ...state, loading: false, error: action.message } : state;
    case 'page': {
      if (action.key !== state.key) return state;
      let items: Conversation[];
      if (action.append) {
        // Live updates may already have placed rows that this page brings again.
        const seen = new Set(state.items.map((c) => c.id));
        items = state.items.concat(action.items.filter((c) => !seen.has(c.id)));
      } else {
        items = action.items;
      }
      return {
        ...state,
        items,
        nextCursor: action.nextCursor,
        loading: false,
        error: null,
        loaded: true,
      };
    }
    case 'upsert': {
      const present = state.items.some((c) => c.id === action.conversation.id);
      if (!action.matches) {
        return present
          ? { ...state, items: state.items.filter((c) => c.id !== action.conversation.id) }
          : state;
      }
      // Live payloads may lack the contact's badges (tier, segment): keep the row's.
      const before = state.items.find((c) => c.id === action.conversation.id);
      const incoming = action.conversation;
      const conversation =
        before && (incoming.contact.tier === undefined || incoming.contact.segment === undefined)
          ? {
              ...incoming,
              contact: {
                ...incoming.contact,
                tier:
                  incoming.contact.tier === undefined ? before.contact.tier : incoming.contact.tier,
                segment:
                  incoming.contact.segment === undefined
                    ? before.contact.segment
                    : incoming.contact.segment,
              },
            }
          : incoming;
      return {
        ...state,
        items: place(state.items, conversation, state.nextCursor !== null),
      };
    }
    case 'message': {
      const { message } = action;
      if (action.conversation) {
        const c = action.conversation;
        // The agent reading it has seen it: the server's unread count catches up when marked read.
        const seen = c.id === action.activeId && c.unreadCount ? { ...c, unreadCount: 0 } : c;
        return listReducer(state, {
          type: 'upsert',
          conversation: seen,
          matches: action.matches ?? true,
        });
      }
      const current = state.items.find((c) => c.id === message.conversationId);
      if (!current) return state;
      const incoming = message.direction === 'in' && !message.private;
      const updated: Conversation = {
        ...current,
        lastMessageAt: message.createdAt,
        lastMessagePreview: message.private ? current.lastMessagePreview : message.text,
        unreadCount:
          incoming && action.activeId !== current.id
            ? current.unreadCount + 1
            : current.unreadCount,
        waitingSince: incoming
          ? (current.waitingSince ?? message.createdAt)
          : message.senderType === 'user' && !message.private
            ? null
            : current.waitingSince,
      };
      return { ...state, items: place(state.items, updated, false) };
    }
    case 'read': {
      const items = state.items.map((c) =>
        c.id === action.id && c.unreadCount ? { ...c, unreadCount: 0 } : c,
      );
      return { ...state, items };
    }
  }
}
