import { inArray } from 'drizzle-orm';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Db } from '../db/client';
import { users } from '../db/schema';
import type { JobHandler } from '../jobs/worker';
import { JobError } from '../jobs/worker';

export const NOTIFY_MAIL_JOB = 'notification.email';

export interface NotificationMail {
  userIds: string[];
  title: string;
  body: string;
  conversationId: string | null;
}

/**
 * Supervisors' notifications by e-mail, one job per notification (written with it), so a slow
 * or down mail server delays the mail, never the rule. The mail links to the conversation.
 */
export function notificationMailHandler(
  db: Db,
  transport: Transporter,
  opts: { from: string; publicUrl: string },
): JobHandler {
  return async (ctx) => {
    const p = ctx.job.payload;
    const mail: NotificationMail = {
      userIds: Array.isArray(p['userIds']) ? p['userIds'].map(String) : [],
      title: String(p['title'] ?? ''),
      body: String(p['body'] ?? ''),
      conversationId: typeof p['conversationId'] === 'string' ? p['conversationId'] : null,
    };
    if (!mail.userIds.length) return;
    const people = await db
      .select({ email: users.email, name: users.name })
      .from(users)
      .where(inArray(users.id, mail.userIds));
    const link = mail.conversationId
      ? `${opts.publicUrl}/#/inbox/all/c/${mail.conversationId}`
      : opts.publicUrl;
    try {
      await transport.sendMail({
        from: opts.from,
        // One mail, each supervisor in Bcc: nobody's address is shown to the others.
        to: opts.from,
        bcc: people.map((p) => ({ name: p.name, address: p.email })),
        subject: mail.title,
        text: `${mail.title}\n\n${mail.body}\n\n${link}\n`,
      });
    } catch (err) {
      throw new JobError(`notification e-mail failed: ${(err as Error).message}`, true);
    }
  };
}

export function notificationTransport(url: string): Transporter {
  return nodemailer.createTransport(url);
}
