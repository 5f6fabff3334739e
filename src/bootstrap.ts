import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Db } from './db/client';
import { appSettings, inboxes, inboxMembers, users } from './db/schema';
import { generatePassword, hashPassword } from './auth/password';
import type { Logger } from './logger';
import { SecretBox } from './channel-host/secret-box';

/**
 * The visitor-token secret: from config, or generated once and shared through the database,
 * sealed with the server's key like every other stored secret (an older clear value is sealed
 * on the way).
 */
export async function visitorSecret(
  db: Db,
  configured: string | undefined,
  box: SecretBox,
): Promise<string> {
  if (configured) return configured;
  const key = 'visitor_token_secret';
  await db
    .insert(appSettings)
    .values({ key, value: box.seal(randomBytes(32).toString('base64url')) })
    .onConflictDoNothing();
  const [row] = await db.select().from(appSettings).where(eq(appSettings.key, key));
  if (SecretBox.isSealed(row!.value)) return box.open(row!.value);
  await db
    .update(appSettings)
    .set({ value: box.seal(row!.value) })
    .where(eq(appSettings.key, key));
  return row!.value;
}

/**
 * First start: an admin (from ADMIN_EMAIL/ADMIN_PASSWORD, or generated and printed once) and a
 * website inbox, so the demo page works with no set-up. Safe when several instances race.
 */
export async function seedFirstRun(
  db: Db,
  logger: Logger,
  admin: { email?: string | undefined; password?: string | undefined },
  print: (line: string) => void,
): Promise<void> {
  await db.transaction(async (tx) => {
    // One instance seeds; the others wait here and then find the rows.
    await tx.execute(sql`select pg_advisory_xact_lock(72430002)`);
    const [anyUser] = await tx.select({ id: users.id }).from(users).limit(1);
    let adminId = anyUser?.id;
    if (!anyUser) {
      const email = admin.email ?? 'admin@switchboard.local';
      const password = admin.password ?? generatePassword();
      const [row] = await tx
        .insert(users)
        .values({ email, name: 'Admin', role: 'admin', passwordHash: await hashPassword(password) })
        .returning();
      adminId = row!.id;
      if (admin.password)
        logger.info({ email }, 'created the first admin from ADMIN_EMAIL/ADMIN_PASSWORD');
      else
        print(
          `\n  First admin created. Sign in at /, once only shown here:\n    e-mail:   ${email}\n    password: ${password}\n`,
        );
    }
    const [webchat] = await tx
      .select({ id: inboxes.id })
      .from(inboxes)
      .where(eq(inboxes.channel, 'webchat'))
      .limit(1);
    if (!webchat) {
      const [inbox] = await tx
        .insert(inboxes)
        .values({ name: 'Website', channel: 'webchat' })
        .returning();
      if (adminId)
        await tx
          .insert(inboxMembers)
          .values({ inboxId: inbox!.id, userId: adminId })
          .onConflictDoNothing();
    }
  });
}
