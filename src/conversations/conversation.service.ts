import type { Executor, Tx } from '../db/client';
import type { UnitOfWork } from '../db/unit-of-work';
import type { ConversationRow, ConversationStatus, Priority } from '../db/schema';
import type { AccessService } from '../auth/access.service';
import type { Principal } from '../auth/auth.service';
import type { UserDirectory } from '../admin/user.service';
import type { ContactRepository } from '../contacts/contact.repository';
import type { Change } from '../events/domain-events';
import type { JobQueue } from '../jobs/job-queue';
import { audit } from '../audit/audit';
import { badRequest, notFound } from '../errors';
import type { ConversationFilter, ConversationRepository } from './conversation.repository';
import { decodeCursor } from './conversation.repository';
import type { MessageRepository } from './message.repository';
import type { MessageService } from './message.service';
import type { ConversationDto, MessageDto } from './dto';

export interface ConversationPatch {
  status?: ConversationStatus | undefined;
  priority?: Priority | undefined;
  assigneeId?: string | null | undefined;
  teamId?: string | null | undefined;
  labels?: string[] | undefined;
  snoozedUntil?: string | null | undefined;
}

export const SNOOZE_JOB = 'snooze.wake';

/** Conversations as agents see and change them: every method checks access first. */
export class ConversationService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly repo: ConversationRepository,
    private readonly messageRepo: MessageRepository,
    private readonly contacts: ContactRepository,
    private readonly messageService: MessageService,
    private readonly users: UserDirectory,
    private readonly jobs: JobQueue,
    private readonly access: AccessService,
  ) {}

  async list(
    principal: Principal,
    filter: Omit<ConversationFilter, 'scope' | 'userId'>,
    limit: number,
    cursor?: string,
  ) {
    const decoded = cursor ? decodeCursor(cursor) : null;
    if (cursor && !decoded) throw badRequest('cursor is not one this server issued');
    const scope = await this.access.inboxScope(principal);
    return this.repo.list({ ...filter, scope, userId: principal.id }, limit, decoded);
  }

  async counts(principal: Principal) {
    return this.repo.counts(await this.access.inboxScope(principal), principal.id);
  }

  /** The conversation if this principal may see it; 404 otherwise, so ids do not leak. */
  async requireVisible(
    principal: Pick<Principal, 'id' | 'role'>,
    id: string,
    db?: Executor,
  ): Promise<ConversationRow> {
    const row = await this.repo.findRow(id, db);
    if (!row || !(await this.access.canSeeInbox(principal, row.inboxId, db)))
      throw notFound('conversation');
    return row;
  }

  async inboxOf(conversationId: string): Promise<string | undefined> {
    return (await this.repo.findRow(conversationId))?.inboxId;
  }

  async get(principal: Principal, id: string) {
    const row = await this.requireVisible(principal, id);
    const [dto, contact, recipient] = await Promise.all([
      this.repo.dto(id),
      this.contacts.dto(row.contactId),
      row.contactIdentityId ? this.contacts.identity(row.contactIdentityId) : undefined,
    ]);
    if (!dto || !contact) throw notFound('conversation');
    // The identity replies go to, and whether it can be reached (the composer warns).
    return { ...dto, contact: { ...contact }, recipient: recipient ?? null };
  }

  async update(
    principal: Principal,
    id: string,
    patch: ConversationPatch,
  ): Promise<ConversationDto> {
    return this.uow.run(async (tx, emit, publish) => {
      const row = await this.lockVisible(tx, principal, id);
      const set: Partial<ConversationRow> = {};
      const changes: Record<string, Change> = {};
      const change = <K extends keyof ConversationRow>(key: K, to: ConversationRow[K]) => {
        changes[key] = { from: row[key], to };
        set[key] = to;
      };
      if (patch.status !== undefined && patch.status !== row.status) {
        change('status', patch.status);
        set.resolvedAt = patch.status === 'resolved' ? new Date() : null;
        if (patch.status !== 'snoozed') set.snoozedUntil = null;
      }
      if (patch.snoozedUntil !== undefined) {
        const until = patch.snoozedUntil ? new Date(patch.snoozedUntil) : null;
        if (until && until.getTime() <= Date.now())
          throw badRequest('snoozedUntil must be in the future');
        change('snoozedUntil', until);
        if (until && row.status !== 'snoozed') change('status', 'snoozed');
      }
      if (patch.priority !== undefined && patch.priority !== row.priority)
        change('priority', patch.priority);
      if (patch.assigneeId !== undefined && patch.assigneeId !== row.assigneeId) {
        if (patch.assigneeId) await this.users.requireAssignable(tx, patch.assigneeId, row.inboxId);
        change('assigneeId', patch.assigneeId);
      }
      if (patch.teamId !== undefined && patch.teamId !== row.teamId) {
        if (patch.teamId && !(await this.users.teamExists(tx, patch.teamId)))
          throw badRequest('teamId: no such team');
        change('teamId', patch.teamId);
      }
      if (patch.labels !== undefined) {
        const labels = [...new Set(patch.labels.map((l) => l.trim()).filter(Boolean))].sort();
        if (labels.join('\n') !== [...row.labels].sort().join('\n')) change('labels', labels);
      }
      const keys = Object.keys(changes);
      if (!keys.length) return (await this.repo.dto(id, tx))!;
      await this.repo.update(tx, id, set);
      if (changes['snoozedUntil'] || changes['status'])
        await this.scheduleWake(tx, id, set.snoozedUntil ?? (set.status ? null : row.snoozedUntil));
      await audit(tx, { type: 'user', id: principal.id }, 'conversation', id, 'update', {
        changes,
      });
      const dto = (await this.repo.dto(id, tx))!;
      emit('conversation.updated', { conversation: dto, changes: keys });
      await publish('conversation.updated', {
        conversationId: id,
        inboxId: row.inboxId,
        changes,
        actor: { type: 'user', id: principal.id },
      });
      return dto;
    });
  }

  /** A snoozed conversation wakes by a job at its time; any other state needs none. */
  private async scheduleWake(tx: Tx, id: string, until: Date | null): Promise<void> {
    if (until) {
      await this.jobs.enqueue(tx, {
        kind: SNOOZE_JOB,
        key: id,
        payload: { conversationId: id, until: until.toISOString() },
        runAt: until,
        replace: true,
      });
    } else {
      await this.jobs.cancel(tx, SNOOZE_JOB, id);
    }
  }

  async markRead(principal: Principal, id: string): Promise<ConversationDto> {
    return this.uow.run(async (tx, emit) => {
      const row = await this.lockVisible(tx, principal, id);
      if (row.unreadCount === 0) return (await this.repo.dto(id, tx))!;
      await this.repo.update(tx, id, { unreadCount: 0 });
      const dto = (await this.repo.dto(id, tx))!;
      emit('conversation.updated', { conversation: dto, changes: ['unreadCount'] });
      return dto;
    });
  }

  async messages(
    principal: Principal,
    id: string,
    opts: { before?: string | undefined; limit: number },
  ): Promise<MessageDto[]> {
    await this.requireVisible(principal, id);
    let before;
    if (opts.before) {
      before = await this.messageRepo.find(opts.before);
      if (!before || before.conversationId !== id)
        throw badRequest('before: no such message in this conversation');
    }
    const rows = await this.messageRepo.list(id, {
      before,
      limit: opts.limit,
      includePrivate: true,
    });
    return this.messageRepo.dtos(rows);
  }

  /**
   * An agent's reply or private note. A reply is stored as `queued` with its delivery job in
   * the same transaction; the job worker sends it. A note never leaves the building.
   */
  async reply(
    principal: Principal,
    id: string,
    input: {
      text: string;
      private?: boolean | undefined;
      attachmentIds?: string[] | undefined;
      email?: EmailReplyInput | undefined;
    },
  ): Promise<MessageDto> {
    const { email, ...rest } = input;
    return this.uow.run(async (tx, emit, publish) => {
      const row = await this.lockVisible(tx, principal, id);
      return this.messageService.post(tx, emit, publish, row, {
        sender: { type: 'user', id: principal.id },
        ...rest,
        // The agent's choices for an e-mail reply, read by the channel when it sends.
        ...(email && !rest.private ? { meta: { email: emailReplyMeta(email) } } : {}),
      });
    });
  }

  /** Locks the conversation for this transaction once access is checked. */
  async lockVisible(tx: Tx, principal: Pick<Principal, 'id' | 'role'>, id: string) {
    const row = await this.repo.lock(tx, id);
    if (!row || !(await this.access.canSeeInbox(principal, row.inboxId, tx)))
      throw notFound('conversation');
    return row;
  }
}

export interface EmailReplyInput {
  to?: string[] | undefined;
  cc?: string[] | undefined;
  bcc?: string[] | undefined;
  subject?: string | undefined;
  replyAll?: boolean | undefined;
}

/** The composer's e-mail fields as a message keeps them (`meta.email`, addresses as objects). */
function emailReplyMeta(input: EmailReplyInput): Record<string, unknown> {
  const list = (v: string[] | undefined) => v?.map((address) => ({ address }));
  return {
    ...(input.to ? { to: list(input.to) } : {}),
    ...(input.cc ? { cc: list(input.cc) } : {}),
    ...(input.bcc ? { bcc: list(input.bcc) } : {}),
    ...(input.subject ? { subject: input.subject } : {}),
    ...(input.replyAll ? { replyAll: true } : {}),
  };
}
