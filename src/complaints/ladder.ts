import { eq } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { complaints, escalations, type ComplaintRow, type ConversationRow } from '../db/schema';
import { conflict } from '../errors';

export const MAX_LEVEL = 4;

/** Next level for "escalate": a plain conversation or front-line complaint goes to supervisor. */
export function nextLevel(current: number, requested?: number): number {
  const target = requested ?? Math.max(current, 1) + 1;
  if (target > MAX_LEVEL) throw conflict(`already at the highest level (${MAX_LEVEL})`);
  if (target <= current)
    throw conflict(`level ${target} is not above the current level ${current}`);
  return target;
}

export interface LevelChange {
  complaint: ComplaintRow;
  from: number;
  to: number;
  created: boolean;
}

/**
 * The complaint ladder's one writer. The `complaints` row is the source of truth; the
 * conversation's `level` follows it in the same transaction (trigger, migration 0002), and every
 * change is written to `escalations` with who or what moved it and why.
 */
export async function setComplaintLevel(
  tx: Executor,
  conversation: Pick<ConversationRow, 'id' | 'contactId'>,
  change: {
    level: number;
    reason: string;
    actorId: string | null;
    /** Who moved it; a user when actorId is set, a rule when `rule` is. */
    actorType?: 'user' | 'rule' | 'customer' | 'system';
    rule?: string | null;
    legal?: boolean;
  },
): Promise<LevelChange> {
  const [current] = await tx
    .select()
    .from(complaints)
    .where(eq(complaints.conversationId, conversation.id))
    .for('update');
  let saved: ComplaintRow[];
  if (!current) {
    saved = await tx
      .insert(complaints)
      .values({
        conversationId: conversation.id,
        contactId: conversation.contactId,
        level: change.level,
        legalFlag: change.legal ?? false,
      })
      .returning();
  } else {
    saved = await tx
      .update(complaints)
      .set({
        level: change.level,
        ...(change.legal ? { legalFlag: true } : {}),
        // A complaint that climbs is not resolved any more.
        status:
          current.status === 'resolved' || current.status === 'closed'
            ? 'reopened'
            : current.status,
        updatedAt: new Date(),
      })
      .where(eq(complaints.id, current.id))
      .returning();
  }
  const complaint = saved[0]!;
  const from = current?.level ?? 0;
  await tx.insert(escalations).values({
    conversationId: conversation.id,
    complaintId: complaint.id,
    fromLevel: from,
    toLevel: change.level,
    reason: change.reason,
    actorId: change.actorId,
    actorType: change.actorType ?? (change.actorId ? 'user' : change.rule ? 'rule' : 'system'),
    rule: change.rule ?? null,
  });
  return { complaint, from, to: change.level, created: !current };
}
