import type {
  Attachment,
  CallbackOutcome,
  CannedResponse,
  BotKbEntry,
  BotKbInput,
  BotTexts,
  BotTry,
  Contact,
  Conversation,
  ConversationWithContact,
  Counts,
  Escalation,
  Inbox,
  Locale,
  Message,
  Page,
  Role,
  SearchResult,
  Team,
  User,
} from './types';
import type { EmailReply } from '../lib/emailDraft';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Query = Record<string, string | number | undefined>;

export function queryString(query: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

interface RequestOptions {
  method?: string;
  body?: unknown;
  raw?: Blob;
  contentType?: string;
  signal?: AbortSignal;
}

/** Called on any 401 so the app can fall back to the login screen. */
let onUnauthorized: () => void = () => {};
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

// The session lives in the httpOnly `sb_session` cookie: the token is never kept in JS, so an
// injected script cannot read it. Same-origin credentials are enough because the app is served
// by the API server itself.
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  let body: BodyInit | undefined;
  if (options.raw) {
    body = options.raw;
    headers['Content-Type'] = options.contentType || 'application/octet-stream';
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['Content-Type'] = 'application/json';
  }
  const res = await fetch(`/api/v1${path}`, {
    method: options.method ?? 'GET',
    headers,
    body,
    credentials: 'same-origin',
    signal: options.signal,
  });
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const data: unknown = text ? safeJson(text) : undefined;
  if (!res.ok) {
    const err = errorOf(data);
    if (res.status === 401 && path !== '/auth/login') onUnauthorized();
    throw new ApiError(res.status, err.code, err.message);
  }
  return data as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function errorOf(data: unknown): { code: string; message: string } {
  if (typeof data === 'object' && data !== null && 'error' in data) {
    const e = (data as { error: unknown }).error;
    if (typeof e === 'object' && e !== null) {
      const code = 'code' in e && typeof e.code === 'string' ? e.code : 'error';
      const message = 'message' in e && typeof e.message === 'string' ? e.message : code;
      return { code, message };
    }
  }
  return { code: 'error', message: 'Request failed' };
}

export interface ConversationQuery extends Query {
  view?: 'mine' | 'unassigned' | 'all' | 'escalated';
  status?: string;
  channel?: string;
  priority?: string;
  label?: string;
  inboxId?: string;
  teamId?: string;
  assigneeId?: string;
  level?: number;
  tier?: string;
  segment?: string;
  q?: string;
  limit?: number;
  cursor?: string;
}

export interface ConversationPatch {
  status?: string;
  priority?: string;
  assigneeId?: string | null;
  teamId?: string | null;
  labels?: string[];
  snoozedUntil?: string | null;
}

export type ContactPatch = Partial<
  Pick<
    Contact,
    'name' | 'language' | 'preferredChannel' | 'birthday' | 'tier' | 'notes' | 'customAttributes'
  >
>;

export interface ContactOrders {
  items: {
    id: string;
    externalId: string;
    amount: string;
    currency: string;
    placedAt: string;
  }[];
  total: string;
  count: number;
}

export const api = {
  login: (email: string, password: string) =>
    request<{ token: string; user: User }>('/auth/login', {
      method: 'POST',
      body: { email, password },
    }),
  logout: () => request<void>('/auth/logout', { method: 'POST' }),
  me: () => request<{ user: User }>('/auth/me'),
  updateMe: (patch: { name?: string; locale?: Locale; available?: boolean }) =>
    request<{ user: User }>('/auth/me', { method: 'PATCH', body: patch }),

  conversations: (query: ConversationQuery, signal?: AbortSignal) =>
    request<Page<Conversation>>(`/conversations${queryString(query)}`, { signal }),
  counts: () => request<Counts>('/conversations/counts'),
  conversation: (id: string) => request<ConversationWithContact>(`/conversations/${id}`),
  updateConversation: (id: string, patch: ConversationPatch) =>
    request<Conversation>(`/conversations/${id}`, { method: 'PATCH', body: patch }),
  markRead: (id: string) => request<Conversation>(`/conversations/${id}/read`, { method: 'POST' }),
  escalate: (id: string, reason: string, level?: number) =>
    request<Conversation>(`/conversations/${id}/escalate`, {
      method: 'POST',
      body: level === undefined ? { reason } : { reason, level },
    }),
  escalations: (id: string) => request<Page<Escalation>>(`/conversations/${id}/escalations`),
  messages: (id: string, before?: string) =>
    request<Page<Message>>(`/conversations/${id}/messages${queryString({ before, limit: 50 })}`),
  sendMessage: (
    id: string,
    text: string,
    isPrivate: boolean,
    attachmentIds: string[],
    email?: EmailReply,
  ) =>
    request<Message>(`/conversations/${id}/messages`, {
      method: 'POST',
      body: {
        text,
        private: isPrivate,
        ...(attachmentIds.length ? { attachmentIds } : {}),
        ...(email && !isPrivate ? { email } : {}),
      },
    }),
  upload: (file: File) =>
    request<Attachment>(`/attachments${queryString({ fileName: file.name })}`, {
      method: 'POST',
      raw: file,
      contentType: file.type,
    }),

  contact: (id: string) => request<Contact>(`/contacts/${id}`),
  updateContact: (id: string, patch: ContactPatch) =>
    request<Contact>(`/contacts/${id}`, { method: 'PATCH', body: patch }),
  contactOrders: (id: string) => request<ContactOrders>(`/contacts/${id}/orders`),
  contactConversations: (id: string) =>
    request<Page<Conversation>>(`/contacts/${id}/conversations`),
  search: (q: string, signal?: AbortSignal) =>
    request<SearchResult>(`/search${queryString({ q })}`, { signal }),
  labels: () => request<Page<string>>('/labels'),

  canned: () => request<Page<CannedResponse>>('/canned-responses'),
  createCanned: (body: { shortCode: string; content: string }) =>
    request<CannedResponse>('/canned-responses', { method: 'POST', body }),
  updateCanned: (id: string, body: { shortCode?: string; content?: string }) =>
    request<CannedResponse>(`/canned-responses/${id}`, { method: 'PATCH', body }),
  deleteCanned: (id: string) => request<void>(`/canned-responses/${id}`, { method: 'DELETE' }),

  botKb: () => request<Page<BotKbEntry>>('/bot/kb'),
  createBotKb: (body: BotKbInput) => request<BotKbEntry>('/bot/kb', { method: 'POST', body }),
  updateBotKb: (id: string, body: BotKbInput) =>
    request<BotKbEntry>(`/bot/kb/${id}`, { method: 'PUT', body }),
  deleteBotKb: (id: string) => request<void>(`/bot/kb/${id}`, { method: 'DELETE' }),
  botTexts: (language: Locale) => request<BotTexts>(`/bot/texts/${language}`),
  saveBotTexts: (language: Locale, body: Record<string, string | null>) =>
    request<BotTexts>(`/bot/texts/${language}`, { method: 'PUT', body }),
  tryBot: (body: { text: string; language?: Locale; reset?: boolean }) =>
    request<BotTry>('/bot/try', { method: 'POST', body }),

  users: () => request<Page<User>>('/users'),
  createUser: (body: { email: string; name: string; role: Role; teamIds?: string[] }) =>
    request<{ user: User; password?: string }>('/users', { method: 'POST', body }),
  updateUser: (
    id: string,
    body: {
      name?: string;
      role?: Role;
      active?: boolean;
      inboxIds?: string[];
      teamIds?: string[];
      phone?: string | null;
      onDuty?: boolean;
      capacity?: number;
    },
  ) => request<User>(`/users/${id}`, { method: 'PATCH', body }),

  teams: () => request<Page<Team>>('/teams'),
  createTeam: (body: { name: string; description?: string; memberIds?: string[] }) =>
    request<Team>('/teams', { method: 'POST', body }),
  updateTeam: (id: string, body: { name?: string; description?: string; memberIds?: string[] }) =>
    request<Team>(`/teams/${id}`, { method: 'PATCH', body }),
  deleteTeam: (id: string) => request<void>(`/teams/${id}`, { method: 'DELETE' }),

  inboxes: () => request<Page<Inbox>>('/inboxes'),
  createInbox: (body: {
    name?: string;
    channel: string;
    memberIds?: string[];
    settings?: Record<string, unknown>;
  }) => request<Inbox>('/inboxes', { method: 'POST', body }),
  inbox: (id: string) => request<Inbox>(`/inboxes/${id}`),
  telegramLink: (contactId: string, inboxId?: string) =>
    request<{ url: string; inboxId: string; expiresAt: string }>(
      `/contacts/${contactId}/telegram-link`,
      { method: 'POST', body: inboxId ? { inboxId } : {} },
    ),
  updateInbox: (
    id: string,
    body: {
      name?: string;
      enabled?: boolean;
      memberIds?: string[];
      settings?: Record<string, unknown>;
      routing?: 'manual' | 'round_robin';
      offlineReturnMinutes?: number;
      businessHoursId?: string | null;
    },
  ) => request<Inbox>(`/inboxes/${id}`, { method: 'PATCH', body }),
  /** "Test connection": the provider checks the credentials; nothing is saved. */
  testInbox: (body: { channel: string; settings: Record<string, unknown>; inboxId?: string }) =>
    request<{ ok: true; name?: string }>('/inboxes/test', { method: 'POST', body }),
  /** An agent called the customer back: the outcome goes into the thread as a note. */
  callback: (id: string, outcome: CallbackOutcome, note?: string) =>
    request<{ message: Message; conversation: Conversation }>(`/conversations/${id}/callback`, {
      method: 'POST',
      body: note ? { outcome, note } : { outcome },
    }),
};
