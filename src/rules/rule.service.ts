import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import type { UnitOfWork } from '../db/unit-of-work';
import { ruleVersions, rules, type RuleRow } from '../db/schema';
import type { AccessService } from '../auth/access.service';
import type { Principal } from '../auth/auth.service';
import { audit } from '../audit/audit';
import { notFound } from '../errors';
import type { RuleDefinition, RuleEvent } from './engine';
import { SHIPPED_RULES } from './shipped';

export interface RuleDto extends RuleDefinition {
  id: string;
  version: number;
  builtIn: string | null;
  position: number;
  createdAt: string;
  updatedAt: string;
}

const CACHE_MS = 5_000;

export function toRuleDto(r: RuleRow): RuleDto {
  return {
    id: r.id,
    name: r.name,
    event: r.event as RuleEvent,
    conditions: r.conditions as RuleDefinition['conditions'],
    actions: r.actions as RuleDefinition['actions'],
    options: r.options,
    enabled: r.enabled,
    position: r.position,
    version: r.version,
    builtIn: r.builtIn,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

/**
 * Rules as admins keep them: validated on save (by the caller, with the engine's schema),
 * versioned (each save keeps the previous definition), audited. The shipped ladder is written
 * once at first start and is theirs to change or turn off.
 */
export class RuleService {
  private cache: { at: number; rows: RuleDto[] } | undefined;

  constructor(
    private readonly db: Db,
    private readonly uow: UnitOfWork,
    private readonly access: AccessService,
  ) {}

  async seedShipped(): Promise<void> {
    for (const { key, ...rule } of SHIPPED_RULES) {
      await this.db
        .insert(rules)
        .values({
          name: rule.name,
          event: rule.event,
          conditions: rule.conditions,
          actions: rule.actions,
          options: rule.options,
          enabled: rule.enabled,
          position: rule.position ?? 0,
          builtIn: key,
        })
        .onConflictDoNothing();
    }
  }

  async list(): Promise<RuleDto[]> {
    const rows = await this.db
      .select()
      .from(rules)
      .orderBy(asc(rules.position), asc(rules.createdAt));
    return rows.map(toRuleDto);
  }

  /** Enabled rules of an event, in order; cached briefly (rules change rarely). */
  async forEvent(event: RuleEvent): Promise<RuleDto[]> {
    const now = Date.now();
    if (!this.cache || now - this.cache.at > CACHE_MS)
      this.cache = { at: now, rows: (await this.list()).filter((r) => r.enabled) };
    return this.cache.rows.filter((r) => r.event === event);
  }

  async versions(principal: Principal, id: string) {
    this.access.requireAdmin(principal);
    const rows = await this.db
      .select()
      .from(ruleVersions)
      .where(eq(ruleVersions.ruleId, id))
      .orderBy(asc(ruleVersions.version));
    return rows.map((r) => ({
      version: r.version,
      definition: r.definition,
      actorId: r.actorId,
      createdAt: r.createdAt.toISOString(),
    }));
  }

  async save(principal: Principal, id: string | null, rule: RuleDefinition): Promise<RuleDto> {
    this.access.requireAdmin(principal);
    const row = await this.uow.run(async (tx) => {
      const values = {
        name: rule.name,
        event: rule.event,
        conditions: rule.conditions,
        actions: rule.actions,
        options: rule.options,
        enabled: rule.enabled,
        ...(rule.position !== undefined ? { position: rule.position } : {}),
      };
      let saved: RuleRow | undefined;
      if (id) {
        const [before] = await tx.select().from(rules).where(eq(rules.id, id)).for('update');
        if (!before) throw notFound('rule');
        await tx.insert(ruleVersions).values({
          ruleId: id,
          version: before.version,
          definition: toRuleDto(before),
          actorId: principal.id,
        });
        [saved] = await tx
          .update(rules)
          .set({ ...values, version: sql`${rules.version} + 1`, updatedAt: new Date() })
          .where(eq(rules.id, id))
          .returning();
      } else {
        [saved] = await tx.insert(rules).values(values).returning();
      }
      await audit(
        tx,
        { type: 'user', id: principal.id },
        'rule',
        saved!.id,
        id ? 'update' : 'create',
        {
          name: rule.name,
          event: rule.event,
          enabled: rule.enabled,
          version: saved!.version,
        },
      );
      return saved!;
    });
    this.cache = undefined;
    return toRuleDto(row);
  }

  async remove(principal: Principal, id: string): Promise<void> {
    this.access.requireAdmin(principal);
    await this.uow.run(async (tx) => {
      const [row] = await tx.delete(rules).where(eq(rules.id, id)).returning();
      if (!row) throw notFound('rule');
      await audit(tx, { type: 'user', id: principal.id }, 'rule', id, 'delete', { name: row.name });
    });
    this.cache = undefined;
  }
}
