import type {
  AttachmentFetchState,
  AttachmentRow,
  ChannelKind,
  ContactRow,
  ConversationRow,
  ConversationStatus,
  IdentityKind,
  IdentityState,
  MessageRow,
  MessageStatus,
  Priority,
} from '../db/schema';

export interface Ref {
  id: string;
  name: string;
}

export interface IdentityDto {
  kind: IdentityKind;
  value: string;
  /** Whether we can reach the customer there: `blocked` the bot, `opted_out`, `undeliverable`. */
  state: IdentityState;
  stateReason: string | null;
}

export interface ContactDto {
  id: string;
  name: string;
  language: string | null;
  preferredChannel: ChannelKind | null;
  birthday: string | null;
  tier: string | null;
  lifetimeValue: string | null;
  notes: string;
  customAttributes: Record<string, unknown>;
  identities: IdentityDto[];
  lastSeenAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What a conversation shows of its complaint (CONTRACT: `complaint` and its `level`). */
export interface ComplaintSummaryDto {
  id: string;
  reference: string;
  level: number;
  status: string;
  category: string | null;
  legalFlag: boolean;
}

export interface ConversationDto {
  id: string;
  status: ConversationStatus;
  channel: ChannelKind;
  inboxId: string;
  contact: Ref;
  priority: Priority;
  assignee: Ref | null;
  team: Ref | null;
  level: number;
  labels: string[];
  subject: string | null;
  unreadCount: number;
  messageCount: number;
  lastMessageAt: string | null;
  lastMessagePreview: string | null;
  waitingSince: string | null;
  snoozedUntil: string | null;
  firstReplyAt: string | null;
  firstResponseDueAt: string | null;
  nextResponseDueAt: string | null;
  resolutionDueAt: string | null;
  /** The worst of its running SLA clocks; null when no SLA applies. */
  slaState: 'ok' | 'warning' | 'breached' | null;
  resolvedAt: string | null;
  complaint: ComplaintSummaryDto | null;
  csat: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface AttachmentDto {
  id: string;
  fileName: string;
  contentType: string;
  size: number;
  url: string;
  /** `pending` while a job fetches it from the provider; `failed` or `too_large` if it could not. */
  state: AttachmentFetchState;
  error: string | null;
}

export interface MessageDto {
  id: string;
  conversationId: string;
  direction: 'in' | 'out';
  senderType: 'contact' | 'user' | 'bot' | 'system';
  sender: Ref | null;
  text: string;
  html: string | null;
  private: boolean;
  status: MessageStatus;
  failureReason: string | null;
  attachments: AttachmentDto[];
  editedAt: string | null;
  createdAt: string;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function toContactDto(
  row: ContactRow,
  identities: {
    kind: IdentityKind;
    value: string;
    state?: IdentityState;
    stateReason?: string | null;
  }[],
): ContactDto {
  return {
    id: row.id,
    name: row.name,
    language: row.language,
    preferredChannel: row.preferredChannel,
    birthday: row.birthday,
    tier: row.tier,
    lifetimeValue: row.lifetimeValue,
    notes: row.notes,
    customAttributes: row.customAttributes,
    identities: identities.map((i) => ({
      kind: i.kind,
      value: i.value,
      state: i.state ?? 'ok',
      stateReason: i.stateReason ?? null,
    })),
    lastSeenAt: iso(row.lastSeenAt),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toConversationDto(
  row: ConversationRow,
  refs: {
    contact: Ref;
    assignee: Ref | null;
    team: Ref | null;
    complaint?: ComplaintSummaryDto | null;
  },
): ConversationDto {
  return {
    id: row.id,
    status: row.status,
    channel: row.channel,
    inboxId: row.inboxId,
    contact: refs.contact,
    priority: row.priority,
    assignee: refs.assignee,
    team: refs.team,
    level: row.level,
    labels: row.labels,
    subject: row.subject,
    unreadCount: row.unreadCount,
    messageCount: row.messageCount,
    lastMessageAt: iso(row.lastMessageAt),
    lastMessagePreview: row.lastMessagePreview,
    waitingSince: iso(row.waitingSince),
    snoozedUntil: iso(row.snoozedUntil),
    firstReplyAt: iso(row.firstReplyAt),
    firstResponseDueAt: iso(row.firstResponseDueAt),
    nextResponseDueAt: iso(row.nextResponseDueAt),
    resolutionDueAt: iso(row.resolutionDueAt),
    slaState: row.slaState,
    resolvedAt: iso(row.resolvedAt),
    complaint: refs.complaint ?? null,
    csat: row.csat,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toAttachmentDto(row: AttachmentRow): AttachmentDto {
  return {
    id: row.id,
    fileName: row.fileName,
    contentType: row.contentType,
    size: row.size,
    url: `/api/v1/attachments/${row.id}`,
    state: row.fetchState,
    error: row.fetchError,
  };
}

export function toMessageDto(
  row: MessageRow,
  sender: Ref | null,
  attachments: AttachmentRow[] = [],
): MessageDto {
  return {
    id: row.id,
    conversationId: row.conversationId,
    direction: row.direction,
    senderType: row.senderType,
    sender,
    text: row.text,
    html: row.html,
    private: row.private,
    status: row.status,
    failureReason: row.failureReason,
    attachments: attachments.map(toAttachmentDto),
    editedAt: iso(row.editedAt),
    createdAt: row.createdAt.toISOString(),
  };
}

/** The list preview: one line, bounded, whatever the channel sent. */
export function previewOf(text: string, max = 140): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
