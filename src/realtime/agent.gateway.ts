import type { Namespace, Server, Socket } from 'socket.io';
import { z } from 'zod';
import type { AuthService, Principal } from '../auth/auth.service';
import type { AccessService, InboxScope } from '../auth/access.service';
import type { ConversationService } from '../conversations/conversation.service';
import type { EventService } from '../events/event.service';
import type { Logger } from '../logger';
import { AppError } from '../errors';
import { cleanDeep } from '../text/clean';
import { readCookie, SESSION_COOKIE } from '../api/http';
import { uuid } from '../api/schemas';

export const ALL_INBOXES = 'inboxes:all';
export const inboxRoom = (id: string) => `inbox:${id}`;
const userRoom = (id: string) => `user:${id}`;
const roomsFor = (scope: InboxScope) => (scope === 'all' ? [ALL_INBOXES] : scope.map(inboxRoom));
const tokenRoom = (id: string) => `token:${id}`;

type Ack = (response: unknown) => void;
const KNOWN_EVENTS = new Set(['conversation.view', 'conversation.leave', 'typing', 'message.send']);

const viewSchema = z.object({ conversationId: uuid }).strict();
const typingSchema = z
  .object({ conversationId: uuid, typing: z.boolean(), private: z.boolean().optional() })
  .strict();
const sendSchema = z
  .object({ conversationId: uuid, text: z.string().max(20_000), private: z.boolean().optional() })
  .strict();

interface Viewer {
  id: string;
  name: string;
  typing: boolean;
}

/** Shows an agent's typing to the customer, where the conversation's channel can. */
export type TypingRelay = (
  conversation: { id: string; inboxId: string; channelRef: Record<string, unknown> | null },
  typing: boolean,
) => Promise<void>;

/** Told when an agent's sockets come and go (routing's presence). */
export interface PresenceHooks {
  connected(userId: string): Promise<void>;
  disconnected(userId: string): Promise<void>;
}

/**
 * The `/agent` namespace: pushes domain events to the agents who may see them and takes the
 * agents' live actions. It holds no state of record; presence is per instance and best-effort.
 */
export class AgentGateway {
  private nsp!: Namespace;
  /** conversationId → socketId → viewer */
  private readonly presence = new Map<string, Map<string, Viewer>>();

  constructor(
    private readonly auth: AuthService,
    private readonly access: AccessService,
    private readonly conversations: ConversationService,
    private readonly events: EventService,
    private readonly relayTyping: TypingRelay,
    private readonly logger: Logger,
    private readonly presenceHooks?: PresenceHooks,
  ) {}

  init(io: Server): void {
    this.nsp = io.of('/agent');
    this.nsp.use(async (socket, next) => {
      try {
        const fromAuth = (socket.handshake.auth as { token?: unknown }).token;
        const token =
          typeof fromAuth === 'string'
            ? fromAuth
            : readCookie(socket.handshake.headers.cookie, SESSION_COOKIE);
        const principal = await this.auth.authenticate(token);
        if (!principal)
          return next(
            Object.assign(new Error('unauthorized'), {
              data: { code: 'unauthorized', message: 'the token is invalid, expired or revoked' },
            }),
          );
        socket.data.principal = principal;
        // Joined here, before the client is told it is connected, so no event falls in between.
        await socket.join([
          userRoom(principal.id),
          tokenRoom(principal.tokenId),
          ...(await this.rooms(principal)),
        ]);
        next();
      } catch (err) {
        next(err as Error);
      }
    });
    this.nsp.on('connection', (socket) => void this.onConnection(socket));
    this.subscribe();
  }

  private async onConnection(socket: Socket): Promise<void> {
    const principal = socket.data.principal as Principal;
    const handle = <T extends z.ZodTypeAny>(
      event: string,
      schema: T,
      fn: (input: z.infer<T>) => Promise<unknown>,
    ) => {
      socket.on(event, async (payload: unknown, ack?: unknown) => {
        const reply: Ack = typeof ack === 'function' ? (ack as Ack) : () => undefined;
        const parsed = schema.safeParse(cleanDeep(payload));
        if (!parsed.success) {
          const message = parsed.error.issues
            .map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`)
            .join('; ');
          return reply({ error: { code: 'validation_failed', message } });
        }
        try {
          reply({ ok: true, ...((await fn(parsed.data)) as object) });
        } catch (err) {
          if (err instanceof AppError)
            return reply({ error: { code: err.code, message: err.message } });
          this.logger.error({ err, event }, 'agent socket handler failed');
          reply({ error: { code: 'internal', message: 'something went wrong on our side' } });
        }
      });
    };

    handle('conversation.view', viewSchema, async ({ conversationId }) => {
      const row = await this.conversations.requireVisible(principal, conversationId);
      this.leaveAll(socket);
      this.viewers(conversationId).set(socket.id, {
        id: principal.id,
        name: principal.name,
        typing: false,
      });
      socket.data.viewing = conversationId;
      this.broadcastPresence(conversationId, row.inboxId);
      return { viewers: this.viewerList(conversationId) };
    });
    handle('conversation.leave', viewSchema, async () => {
      this.leaveAll(socket);
      return {};
    });
    handle('typing', typingSchema, async ({ conversationId, typing, private: isPrivate }) => {
      const row = await this.conversations.requireVisible(principal, conversationId);
      const viewer = this.viewers(conversationId).get(socket.id);
      if (viewer && viewer.typing !== typing) {
        viewer.typing = typing;
        this.broadcastPresence(conversationId, row.inboxId);
      }
      // The customer sees "typing…" for replies only, never while an agent writes a note.
      if (!isPrivate) await this.relayTyping(row, typing);
      return {};
    });
    handle('message.send', sendSchema, async ({ conversationId, text, private: isPrivate }) => {
      const message = await this.conversations.reply(principal, conversationId, {
        text,
        private: isPrivate,
      });
      return { message };
    });

    this.track(() => this.presenceHooks?.connected(principal.id));
    socket.on('disconnect', () => {
      this.leaveAll(socket);
      this.track(() => this.presenceHooks?.disconnected(principal.id));
    });
    // An event nobody handles still gets an answer, so a client never waits for nothing.
    socket.onAny((event: string, ...args: unknown[]) => {
      const ack = args.at(-1);
      if (!KNOWN_EVENTS.has(event) && typeof ack === 'function')
        (ack as Ack)({
          error: { code: 'unknown_event', message: `no such event: ${event.slice(0, 100)}` },
        });
    });
  }

  /** Presence is best-effort: a failure is logged, the socket carries on. */
  private track(fn: () => Promise<void> | undefined): void {
    void Promise.resolve()
      .then(fn)
      .catch((err: unknown) => this.logger.warn({ err }, 'agent presence update failed'));
  }

  private async rooms(principal: Principal): Promise<string[]> {
    return roomsFor(await this.access.inboxScope(principal));
  }

  private to(inboxId: string) {
    return this.nsp.to(inboxRoom(inboxId)).to(ALL_INBOXES);
  }

  private subscribe(): void {
    // One broadcast per event: socket.io encodes the packet once for all the rooms' sockets.
    // The conversation's list fields come with the message (CONTRACT): one frame, not two.
    this.events.on('message.created', ({ conversationId, inboxId, message, conversation }) => {
      this.to(inboxId).emit('message.created', { conversationId, message, conversation });
    });
    this.events.on('message.updated', ({ conversationId, inboxId, message }) => {
      this.to(inboxId).emit('message.updated', { conversationId, message });
    });
    this.events.on('conversation.created', ({ conversation }) => {
      this.to(conversation.inboxId).emit('conversation.created', { conversation });
    });
    this.events.on('conversation.updated', ({ conversation }) => {
      this.to(conversation.inboxId).emit('conversation.updated', { conversation });
    });
    this.events.on('conversation.escalated', ({ conversation, level, reason }) => {
      this.to(conversation.inboxId).emit('conversation.escalated', { conversation, level, reason });
    });
    // SLA events go to the inbox's agents; supervisors and admins are in every inbox's room.
    this.events.on('sla.warning', ({ conversation, target }) => {
      this.to(conversation.inboxId).emit('sla.warning', { conversation, target });
    });
    this.events.on('sla.breached', ({ conversation, target }) => {
      this.to(conversation.inboxId).emit('sla.breached', { conversation, target });
    });
    this.events.on('notification', ({ userIds, notification }) => {
      this.nsp.to(userIds.map(userRoom)).emit('notification', notification);
    });
    this.events.on('user.deactivated', ({ userId }) => {
      this.nsp.in(userRoom(userId)).disconnectSockets(true);
    });
    this.events.on('auth.token-revoked', ({ tokenId }) => {
      this.nsp.in(tokenRoom(tokenId)).disconnectSockets(true);
    });
    this.events.on('user.access-changed', async ({ userId }) => {
      // Role or membership changed: re-derive which inbox rooms this user's sockets are in.
      const rooms = roomsFor(await this.access.scopeForUser(userId));
      for (const socket of await this.nsp.in(userRoom(userId)).fetchSockets()) {
        for (const room of socket.rooms) if (room.startsWith('inbox')) socket.leave(room);
        socket.join(rooms);
      }
    });
  }

  /** The customer is typing: tell the agents of that inbox. */
  contactTyping(
    conversationId: string,
    inboxId: string,
    contact: { id: string; name: string },
    typing: boolean,
  ): void {
    this.to(inboxId).emit('typing', {
      conversationId,
      actor: { type: 'contact', ...contact },
      typing,
    });
  }

  private viewers(conversationId: string): Map<string, Viewer> {
    let map = this.presence.get(conversationId);
    if (!map) this.presence.set(conversationId, (map = new Map()));
    return map;
  }

  private viewerList(conversationId: string): Viewer[] {
    return [...(this.presence.get(conversationId)?.values() ?? [])];
  }

  private leaveAll(socket: Socket): void {
    const conversationId = socket.data.viewing as string | undefined;
    if (!conversationId) return;
    socket.data.viewing = undefined;
    const map = this.presence.get(conversationId);
    if (!map?.delete(socket.id)) return;
    if (!map.size) this.presence.delete(conversationId);
    void this.conversations
      .inboxOf(conversationId)
      .then((inboxId) => inboxId && this.broadcastPresence(conversationId, inboxId))
      .catch((err: unknown) => this.logger.warn({ err }, 'presence update failed'));
  }

  private broadcastPresence(conversationId: string, inboxId: string): void {
    this.to(inboxId).emit('presence', { conversationId, viewers: this.viewerList(conversationId) });
  }
}
