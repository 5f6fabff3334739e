import type { Executor } from '../db/client';
import { auditLog } from '../db/schema';
import type { Actor } from '../events/domain-events';

/**
 * The audit trail: who changed what, written in the same transaction as the change. Secrets
 * never come here in clear: callers pass what changed, with credentials redacted.
 */
export async function audit(
  tx: Executor,
  actor: Actor,
  entity: string,
  entityId: string,
  action: string,
  data: Record<string, unknown> = {},
): Promise<void> {
  await tx.insert(auditLog).values({
    actorType: actor.type,
    actorId: actor.type === 'user' || actor.type === 'contact' ? actor.id : null,
    entity,
    entityId,
    action,
    data: actor.type === 'system' && actor.rule ? { ...data, rule: actor.rule } : data,
  });
}
