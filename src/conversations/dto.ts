import type {
  AttachmentFetchState,
  AttachmentRow,
  ChannelKind,
  ContactRow,
  ContactValueRow,
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

/** A conversation's contact; lists also carry the value tier and RFM segment (badges). */
export interface ContactRef extends Ref {
  tier?: string | null;
  segment?: string | null;
}

export interface IdentityDto {
  kind: IdentityKind;
  value: string;
  /** Whether we can reach the customer there: `blocked` the bot, `opted_out`, `undeliverable`. */
  state: IdentityState;
  stateReason: string | null;
}

export interface ContactClvDto {
  asOf: string;
  probabilityAlive: number;
  expectedPurchases: number;
  horizonDays: number;
  predictedValue: string;
  segment: string;
  rfm: string;
  historicValue: string;
  fittedAt: string;
}

export interface ContactDto {
  id: string;
  name: string;
  language: string | null;
  preferredChannel: ChannelKind | null;
  birthday: string | null;
  tier: string | null;
  lifetimeValue: string | null;
  /** The latest customer-value prediction (CONTRACT), null until a model was fitted. */
  clv: ContactClvDto | null;
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
  contact: ContactRef;
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
  /** Content-ID of an inline part: an e-mail's HTML shows it where it says `cid:<contentId>`. */
  contentId?: string;
}

export interface EmailAddressDto {
  address: string;
  name?: string;
}

/** What an e-mail adds to its message (kept in `meta`): headers, the quoted history, flags. */
export interface MessageEmailDto {
  subject: string | null;
  from: EmailAddressDto | null;
  to: EmailAddressDto[];
  cc: EmailAddressDto[];
  /** Outbound only: the blind copies the agent chose. */
  bcc?: EmailAddressDto[];
  /** The whole text with the quoted history and signature, when `text` is only the new part. */
  fullText?: string;
  /** How many recipients there were, when more than `kept` of each were kept. */
  recipients?: { to: number; cc: number; kept: number };
  /** What could not be read (malformed MIME). */
  problem?: string;
  /** Outbound only: the agent answered everyone on the thread. */
  replyAll?: boolean;
}

/** A delivery report: the recipient that failed and why. */
export interface BounceDto {
  recipient: string;
  status: string;
  hard: boolean;
  diagnostic?: string;
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
  /** The earlier message this one answers, as the channel quoted it (a Telegram reply). */
  replyTo: { text: string; author: string | null } | null;
  createdAt: string;
  /** E-mail messages: subject, From/To/CC, the full text behind "show quoted". */
  email?: MessageEmailDto;
  /** Sent by a machine (out-of-office, delivery report): never answered by the bot or a rule. */
  autoReply?: boolean;
  bounce?: BounceDto;
  /** Choices offered with the message (a bot menu, the satisfaction question). */
  buttons?: MessageButton[];
}

export interface MessageButton {
  label: string;
  value: string;
}

/** `{ buttons }` when the message offers any, else nothing. */
export function withButtons(meta: Record<string, unknown>): { buttons?: MessageButton[] } {
  const buttons = buttonsOf(meta);
  return buttons ? { buttons } : {};
}

/** `meta.buttons` as `post` stores them, read defensively. */
export function buttonsOf(meta: Record<string, unknown>): MessageButton[] | undefined {
  const b = meta['buttons'];
  if (!Array.isArray(b)) return undefined;
  const out = b.flatMap((x: unknown) =>
    x && typeof x === 'object' && 'label' in x && 'value' in x
      ? [{ label: String(x.label), value: String(x.value) }]
      : [],
  );
  return out.length ? out : undefined;
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
  value: ContactValueRow | null = null,
): ContactDto {
  return {
    id: row.id,
    name: row.name,
    language: row.language,
    preferredChannel: row.preferredChannel,
    birthday: row.birthday,
    tier: row.tier,
    lifetimeValue: row.lifetimeValue,
    clv: value
      ? {
          asOf: value.asOf,
          probabilityAlive: value.probabilityAlive,
          expectedPurchases: value.expectedPurchases,
          horizonDays: value.horizonDays,
          predictedValue: value.predictedValue,
          segment: value.segment,
          rfm: value.rfm,
          historicValue: value.historicValue,
          fittedAt: value.fittedAt.toISOString(),
        }
      : null,
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
    contact: ContactRef;
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
    ...(row.contentId ? { contentId: row.contentId } : {}),
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
    replyTo: quoteOf(row.meta['replyTo']),
    createdAt: row.createdAt.toISOString(),
    ...emailFields(row.meta),
    ...withButtons(row.meta),
  };
}

/** `meta.replyTo` as channels store it ({text, author}), or null. */
function quoteOf(value: unknown): MessageDto['replyTo'] {
  if (!value || typeof value !== 'object' || !('text' in value)) return null;
  const text = typeof value.text === 'string' ? value.text : '';
  const author = 'author' in value && typeof value.author === 'string' ? value.author : null;
  return text || author ? { text, author } : null;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function addressOf(v: unknown): EmailAddressDto | null {
  if (typeof v === 'string') return { address: v };
  if (!isRecord(v) || typeof v['address'] !== 'string') return null;
  return { address: v['address'], ...(typeof v['name'] === 'string' ? { name: v['name'] } : {}) };
}

const addressList = (v: unknown): EmailAddressDto[] =>
  Array.isArray(v) ? v.map(addressOf).filter((a): a is EmailAddressDto => a !== null) : [];

/** The e-mail parts of a message's meta, read defensively (meta is a channel's free-form JSON). */
function emailFields(meta: Record<string, unknown>): Partial<MessageDto> {
  const out: Partial<MessageDto> = {};
  const e = meta['email'];
  if (isRecord(e)) {
    const recipients = e['recipients'];
    out.email = {
      subject: typeof e['subject'] === 'string' ? e['subject'] : null,
      from: addressOf(e['from']),
      to: addressList(e['to']),
      cc: addressList(e['cc']),
      ...(Array.isArray(e['bcc']) ? { bcc: addressList(e['bcc']) } : {}),
      ...(typeof e['fullText'] === 'string' ? { fullText: e['fullText'] } : {}),
      ...(isRecord(recipients)
        ? {
            recipients: {
              to: Number(recipients['to']) || 0,
              cc: Number(recipients['cc']) || 0,
              kept: Number(recipients['kept']) || 0,
            },
          }
        : {}),
      ...(typeof e['problem'] === 'string' ? { problem: e['problem'] } : {}),
      ...(e['replyAll'] === true ? { replyAll: true } : {}),
    };
  }
  if (meta['autoReply'] === true) out.autoReply = true;
  const b = meta['bounce'];
  if (isRecord(b) && typeof b['recipient'] === 'string')
    out.bounce = {
      recipient: b['recipient'],
      status: String(b['status'] ?? ''),
      hard: b['hard'] === true,
      ...(typeof b['diagnostic'] === 'string' ? { diagnostic: b['diagnostic'] } : {}),
    };
  return out;
}

/** The list preview: one line, bounded, whatever the channel sent. */
export function previewOf(text: string, max = 140): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
