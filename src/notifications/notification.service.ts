import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { Db, Executor } from '../db/client';
import { notifications, users } from '../db/schema';
import type { Emit } from '../events/event-map';
import type { Principal } from '../auth/auth.service';
import type { JobQueue } from '../jobs/job-queue';
import { NOTIFY_MAIL_JOB, type NotificationMail } from './notification-mail';

export interface NotificationDto {
  id: string;
  kind: string;
  title: string;
  body: string;
  conversationId: string | null;
  readAt: string | null;
  createdAt: string;
}

/** Something a person should look at: kept per user, pushed live to their sockets. */
export class NotificationService {
  constructor(
    private readonly db: Db,
    private readonly jobs: JobQueue,
    /** Whether a mail server is configured for notifications. */
    private readonly mail: boolean,
  ) {}

  /** Supervisors and admins, inside the caller's transaction; live after commit. */
  async toSupervisors(
    tx: Executor,
    emit: Emit,
    n: { kind: string; title: string; body?: string; conversationId?: string | null },
  ): Promise<void> {
    const people = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.active, true), inArray(users.role, ['supervisor', 'admin'])));
    if (!people.length) return;
    const rows = await tx
      .insert(notifications)
      .values(
        people.map((p) => ({
          userId: p.id,
          kind: n.kind,
          title: n.title,
          body: n.body ?? '',
          conversationId: n.conversationId ?? null,
        })),
      )
      .returning();
    const first = rows[0]!;
    if (this.mail) {
      const mail: NotificationMail = {
        userIds: people.map((p) => p.id),
        title: first.title,
        body: first.body,
        conversationId: first.conversationId,
      };
      await this.jobs.enqueue(tx, { kind: NOTIFY_MAIL_JOB, payload: { ...mail }, maxAttempts: 8 });
      emit('jobs.enqueued', {});
    }
    emit('notification', {
      userIds: people.map((p) => p.id),
      notification: {
        id: first.id,
        kind: first.kind,
        title: first.title,
        body: first.body,
        conversationId: first.conversationId,
        createdAt: first.createdAt.toISOString(),
      },
    });
  }

  async list(principal: Principal, unreadOnly: boolean): Promise<NotificationDto[]> {
    const rows = await this.db
      .select()
      .from(notifications)
      .where(
        and(
          eq(notifications.userId, principal.id),
          unreadOnly ? isNull(notifications.readAt) : undefined,
        ),
      )
      .orderBy(desc(notifications.createdAt))
      .limit(100);
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      title: r.title,
      body: r.body,
      conversationId: r.conversationId,
      readAt: r.readAt?.toISOString() ?? null,
      createdAt: r.createdAt.toISOString(),
    }));
  }

  async markRead(principal: Principal, ids: string[]): Promise<void> {
    if (!ids.length) return;
    await this.db
      .update(notifications)
      .set({ readAt: new Date() })
      .where(and(eq(notifications.userId, principal.id), inArray(notifications.id, ids)));
  }
}
