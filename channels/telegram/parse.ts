import { z } from 'zod';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { verifyLinkToken } from '../link-token';
import {
  ChannelParseError,
  type InboundAttachment,
  type InboundMessage,
  type ParsedEvent,
} from '../types';

/**
 * Telegram updates → the kit's events. Pure: no I/O, no clock. Only the fields we read are
 * described below (narrowly, with zod); everything else of an update is kept as `raw`.
 *
 * Ids (idempotency): a message is `tg:<chat_id>:<message_id>` — unique within the bot, so
 * within the inbox that scopes it — which is also what an edit names; a redelivered or re-polled
 * update therefore stores nothing twice. An album (updates sharing `media_group_id`) is one
 * message `tg:<chat_id>:album:<media_group_id>`, delivered in parts keyed by `message_id`: the
 * first part stored makes the message, the others add their files to it (see migration 0003).
 * A button press is `tg:cb:<callback_query_id>`.
 */

/** Update kinds the channel handles (also the `allowed_updates` it asks Telegram for). */
export const HANDLED_UPDATES = [
  'message',
  'edited_message',
  'callback_query',
  'my_chat_member',
] as const;

const user = z.object({
  id: z.number().int(),
  is_bot: z.boolean().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  username: z.string().optional(),
  language_code: z.string().optional(),
});
type User = z.infer<typeof user>;

const chat = z.object({
  id: z.number().int(),
  type: z.string(),
  title: z.string().optional(),
  username: z.string().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
});
type Chat = z.infer<typeof chat>;

const file = z.object({
  file_id: z.string().min(1),
  file_unique_id: z.string().optional(),
  file_size: z.number().int().nonnegative().optional(),
});
const location = z.object({ latitude: z.number(), longitude: z.number() });
const entity = z.object({ type: z.string(), offset: z.number().int(), length: z.number().int() });

const replied = z.object({
  message_id: z.number().int(),
  from: user.optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
});

const message = z.object({
  message_id: z.number().int(),
  from: user.optional(),
  chat,
  date: z.number().int(),
  edit_date: z.number().int().optional(),
  media_group_id: z.string().optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
  entities: z.array(entity).optional(),
  reply_to_message: replied.optional(),
  photo: z
    .array(file.extend({ width: z.number().optional(), height: z.number().optional() }))
    .optional(),
  document: file
    .extend({ file_name: z.string().optional(), mime_type: z.string().optional() })
    .optional(),
  voice: file
    .extend({ mime_type: z.string().optional(), duration: z.number().optional() })
    .optional(),
  audio: file
    .extend({
      file_name: z.string().optional(),
      mime_type: z.string().optional(),
      title: z.string().optional(),
      performer: z.string().optional(),
    })
    .optional(),
  video: file
    .extend({ file_name: z.string().optional(), mime_type: z.string().optional() })
    .optional(),
  animation: file
    .extend({ file_name: z.string().optional(), mime_type: z.string().optional() })
    .optional(),
  video_note: file.optional(),
  sticker: file
    .extend({
      emoji: z.string().optional(),
      is_animated: z.boolean().optional(),
      is_video: z.boolean().optional(),
      thumbnail: file.optional(),
    })
    .optional(),
  location: location.optional(),
  venue: z.object({ location, title: z.string(), address: z.string() }).optional(),
  contact: z
    .object({
      phone_number: z.string(),
      first_name: z.string().optional(),
      last_name: z.string().optional(),
      user_id: z.number().int().optional(),
    })
    .optional(),
});
type Message = z.infer<typeof message>;

const callbackQuery = z.object({
  id: z.string().min(1),
  from: user,
  message: z.object({ message_id: z.number().int(), chat }).optional(),
  data: z.string().optional(),
});

const chatMember = z.object({
  chat,
  from: user,
  date: z.number().int(),
  new_chat_member: z.object({ status: z.string() }),
});

const update = z.object({
  update_id: z.number().int().nonnegative(),
  message: message.optional(),
  edited_message: message.optional(),
  callback_query: callbackQuery.optional(),
  my_chat_member: chatMember.optional(),
});

export interface ParseOptions {
  /** Serve group chats too (the inbox's `allowGroups`); private chats only otherwise. */
  allowGroups: boolean;
  /** Verifies `/start <payload>` deep links an agent made (channels/link-token.ts). */
  linkSecret?: string | undefined;
}

export interface ParsedUpdate {
  updateId: number;
  events: ParsedEvent[];
  /** Why nothing came of the update (a kind we do not handle, a group while groups are off). */
  ignored?: string;
  /** A button press to answer with answerCallbackQuery once stored. */
  callbackQueryId?: string;
}

/** The update's kind: the one key besides `update_id`. */
export function updateKind(body: unknown): string {
  if (!body || typeof body !== 'object') return 'unknown';
  return Object.keys(body).find((k) => k !== 'update_id') ?? 'unknown';
}

export function parseUpdate(body: unknown, opts: ParseOptions): ParsedUpdate {
  const parsed = update.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ChannelParseError(
      `not a Telegram update: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}`,
    );
  }
  const u = parsed.data;
  const updateId = u.update_id;
  if (u.message) return fromMessage(updateId, u.message, body, opts);
  if (u.edited_message) return fromEdit(updateId, u.edited_message, opts);
  if (u.callback_query) {
    const q = u.callback_query;
    const where: Chat = q.message?.chat ?? { id: q.from.id, type: 'private' };
    const ignored = chatIgnored(where, opts);
    if (ignored) return { updateId, events: [], ignored, callbackQueryId: q.id };
    const data = q.data ?? '';
    const msg: InboundMessage = {
      ...base(where, q.from, body),
      providerMessageId: `tg:cb:${q.id}`,
      text: data,
      attachments: [],
      meta: {
        telegram: { chatId: where.id, callbackQueryId: q.id, messageId: q.message?.message_id },
        button: { value: data },
      },
    };
    return { updateId, events: [{ type: 'message', message: msg }], callbackQueryId: q.id };
  }
  if (u.my_chat_member) {
    const m = u.my_chat_member;
    if (m.chat.type !== 'private')
      return { updateId, events: [], ignored: `my_chat_member in a ${m.chat.type} chat` };
    const identity = { kind: 'telegram' as const, value: String(m.from.id) };
    const status = m.new_chat_member.status;
    if (status === 'kicked')
      return {
        updateId,
        events: [
          { type: 'identity', identity, state: 'blocked', reason: 'the customer blocked the bot' },
        ],
      };
    if (status === 'member')
      return { updateId, events: [{ type: 'identity', identity, state: 'ok' }] };
    return { updateId, events: [], ignored: `my_chat_member status ${status}` };
  }
  return { updateId, events: [], ignored: updateKind(body) };
}

function chatIgnored(where: Chat, opts: ParseOptions): string | undefined {
  if (where.type === 'private') return undefined;
  if (where.type === 'group' || where.type === 'supergroup')
    return opts.allowGroups ? undefined : `a ${where.type} message (groups are off for this inbox)`;
  return `a ${where.type} message`;
}

function displayName(u: User | undefined): string | undefined {
  if (!u) return undefined;
  const name = [u.first_name, u.last_name].filter(Boolean).join(' ').trim();
  return name || (u.username ? `@${u.username}` : undefined);
}

/** What every message of a chat shares: sender, thread, reply reference, profile hints. */
function base(
  where: Chat,
  from: User,
  raw: unknown,
): Pick<InboundMessage, 'sender' | 'threadKey' | 'channelRef' | 'profile' | 'raw'> {
  const name = displayName(from);
  const group = where.type !== 'private';
  return {
    sender: { kind: 'telegram', value: String(from.id), ...(name ? { name } : {}) },
    // One thread per chat: a private chat is the customer's, a group chat is the group's.
    threadKey: String(where.id),
    channelRef: {
      chatId: where.id,
      chatType: where.type,
      ...(group && where.title ? { title: where.title } : {}),
    },
    profile: {
      ...(from.language_code ? { language: from.language_code } : {}),
      ...(from.username ? { username: `@${from.username}` } : {}),
    },
    raw,
  };
}

function messageId(m: Message): string {
  return `tg:${m.chat.id}:${m.media_group_id ? `album:${m.media_group_id}` : m.message_id}`;
}

function fromEdit(updateId: number, m: Message, opts: ParseOptions): ParsedUpdate {
  const ignored = chatIgnored(m.chat, opts);
  if (ignored || !m.from)
    return { updateId, events: [], ignored: ignored ?? 'an edit without a sender' };
  return {
    updateId,
    events: [
      {
        type: 'edit',
        providerMessageId: messageId(m),
        sender: { kind: 'telegram', value: String(m.from.id) },
        text: m.text ?? m.caption ?? '',
        editedAt: new Date((m.edit_date ?? m.date) * 1000),
      },
    ],
  };
}

function fromMessage(updateId: number, m: Message, raw: unknown, opts: ParseOptions): ParsedUpdate {
  const ignored = chatIgnored(m.chat, opts);
  if (ignored) return { updateId, events: [], ignored };
  if (!m.from || m.from.is_bot) return { updateId, events: [], ignored: 'a message from a bot' };
  const content = contentOf(m);
  if (!content)
    return { updateId, events: [], ignored: 'a message with nothing we show (a service message)' };
  const events: ParsedEvent[] = [];
  const meta: Record<string, unknown> = {
    telegram: { chatId: m.chat.id, messageId: m.message_id },
    ...content.meta,
  };
  let text = content.text;
  const start = startCommand(m);
  if (start !== undefined) {
    const token = opts.linkSecret && start ? verifyLinkToken(opts.linkSecret, start) : undefined;
    if (token) {
      events.push({
        type: 'link',
        token,
        identity: { kind: 'telegram', value: String(m.from.id) },
      });
      // The signed payload is spent: it is not kept in the text or the raw update.
      text = '/start';
      meta['start'] = { linked: true };
      raw = undefined;
    } else if (start) {
      meta['start'] = { payload: start };
    }
  }
  if (m.reply_to_message) {
    const r = m.reply_to_message;
    meta['replyTo'] = {
      messageId: r.message_id,
      text: (r.text ?? r.caption ?? '').slice(0, 500),
      author: displayName(r.from) ?? null,
      fromBot: r.from?.is_bot ?? false,
    };
  }
  const message: InboundMessage = {
    ...base(m.chat, m.from, raw),
    providerMessageId: messageId(m),
    text,
    attachments: content.attachments,
    receivedAt: new Date(m.date * 1000),
    meta,
    ...(content.extraIdentities.length ? { extraIdentities: content.extraIdentities } : {}),
    ...(m.media_group_id ? { part: { key: String(m.message_id) } } : {}),
  };
  if (raw === undefined) delete message.raw;
  events.push({ type: 'message', message });
  return { updateId, events };
}

/** `/start <payload>` (the payload may be empty), or undefined when the text is not /start. */
function startCommand(m: Message): string | undefined {
  const text = m.text;
  const command = m.entities?.find((e) => e.type === 'bot_command' && e.offset === 0);
  if (!text || !command) return undefined;
  const name = text.slice(1, command.length).split('@')[0];
  if (name !== 'start') return undefined;
  return text.slice(command.length).trim();
}

interface Content {
  text: string;
  attachments: InboundAttachment[];
  extraIdentities: { kind: 'phone'; value: string }[];
  meta: Record<string, unknown>;
}

function attachment(
  f: { file_id: string; file_size?: number | undefined },
  fileName: string,
  contentType: string,
): InboundAttachment {
  return {
    fileName,
    contentType,
    ref: {
      fileId: f.file_id,
      contentType,
      ...(f.file_size !== undefined ? { size: f.file_size } : {}),
    },
    ...(f.file_size !== undefined ? { size: f.file_size } : {}),
  };
}

function mapLink(latitude: number, longitude: number): string {
  const lat = latitude.toFixed(6);
  const lon = longitude.toFixed(6);
  return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=17/${lat}/${lon}`;
}

function contentOf(m: Message): Content | undefined {
  const id = m.message_id;
  const text = m.text ?? m.caption ?? '';
  const out: Content = { text, attachments: [], extraIdentities: [], meta: {} };
  if (m.photo?.length) {
    // Sizes come smallest first: the last is the original.
    const largest = m.photo[m.photo.length - 1]!;
    out.attachments.push(attachment(largest, `photo-${id}.jpg`, 'image/jpeg'));
  } else if (m.document) {
    const d = m.document;
    out.attachments.push(
      attachment(d, d.file_name || `document-${id}`, d.mime_type || 'application/octet-stream'),
    );
  } else if (m.voice) {
    out.attachments.push(attachment(m.voice, `voice-${id}.ogg`, m.voice.mime_type || 'audio/ogg'));
  } else if (m.audio) {
    const a = m.audio;
    const titled = [a.performer, a.title].filter(Boolean).join(' – ');
    out.attachments.push(
      attachment(a, a.file_name || `${titled || `audio-${id}`}.mp3`, a.mime_type || 'audio/mpeg'),
    );
  } else if (m.video) {
    out.attachments.push(
      attachment(m.video, m.video.file_name || `video-${id}.mp4`, m.video.mime_type || 'video/mp4'),
    );
  } else if (m.animation) {
    const a = m.animation;
    out.attachments.push(
      attachment(a, a.file_name || `animation-${id}.mp4`, a.mime_type || 'video/mp4'),
    );
  } else if (m.video_note) {
    out.attachments.push(attachment(m.video_note, `video-note-${id}.mp4`, 'video/mp4'));
  } else if (m.sticker) {
    const s = m.sticker;
    out.text = s.emoji ?? '';
    if (s.is_video) out.attachments.push(attachment(s, `sticker-${id}.webm`, 'video/webm'));
    else if (!s.is_animated)
      out.attachments.push(attachment(s, `sticker-${id}.webp`, 'image/webp'));
    // An animated (Lottie) sticker cannot be shown as is: its still thumbnail stands in.
    else if (s.thumbnail)
      out.attachments.push(attachment(s.thumbnail, `sticker-${id}.webp`, 'image/webp'));
    out.meta['sticker'] = { emoji: s.emoji ?? null };
  } else if (m.venue) {
    const v = m.venue;
    out.text = `📍 ${v.title}, ${v.address}\n${mapLink(v.location.latitude, v.location.longitude)}`;
    out.meta['location'] = { ...v.location, title: v.title, address: v.address };
  } else if (m.location) {
    out.text = `📍 ${mapLink(m.location.latitude, m.location.longitude)}`;
    out.meta['location'] = { ...m.location };
  } else if (m.contact) {
    const c = m.contact;
    const phone = normalizePhone(c.phone_number);
    const name = [c.first_name, c.last_name].filter(Boolean).join(' ');
    out.text = `👤 ${[name, phone ?? c.phone_number].filter(Boolean).join(' ')}`;
    out.meta['contact'] = {
      name: name || null,
      phone: phone ?? c.phone_number,
      userId: c.user_id ?? null,
    };
    // Only the sender's own number proves anything about the sender.
    if (phone && m.from && c.user_id === m.from.id)
      out.extraIdentities.push({ kind: 'phone', value: phone });
  } else if (!m.text) {
    return undefined;
  }
  return out;
}

const LOCAL_DIGITS = /[\u06F0-\u06F9\u0660-\u0669]/g;

/**
 * A phone number as E.164 (`+79161234567`), or undefined when it is not one. Telegram sends
 * numbers without the `+` and always in international form; Persian and Arabic-Indic digits
 * (typed by hand) are read as the same digits.
 */
export function normalizePhone(input: string): string | undefined {
  const ascii = input.replace(LOCAL_DIGITS, (d) => String((d.codePointAt(0)! - 0x0660) % 0x90));
  const digits = ascii.replace(/[^\d+]/g, '');
  const international = digits.startsWith('+')
    ? digits
    : digits.startsWith('00')
      ? `+${digits.slice(2)}`
      : `+${digits}`;
  const parsed = parsePhoneNumberFromString(international);
  return parsed?.isValid() ? parsed.number : undefined;
}
