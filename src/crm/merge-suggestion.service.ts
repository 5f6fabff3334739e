import { and, desc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import type { UnitOfWork } from '../db/unit-of-work';
import { queryRows } from '../db/rows';
import {
  appSettings,
  contactMerges,
  mergeSuggestions,
  type MergeReason,
  type MergeSuggestionRow,
} from '../db/schema';
import type { Principal } from '../auth/auth.service';
import type { AccessService } from '../auth/access.service';
import type { ContactRepository } from '../contacts/contact.repository';
import type { ContactDto } from '../conversations/dto';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { JobQueue } from '../jobs/job-queue';
import type { JobHandler } from '../jobs/worker';
import { audit } from '../audit/audit';
import { AppError, forbidden, notFound } from '../errors';
import type { MergeService } from './merge.service';
import { findPairs, type FoundPair } from './merge-finder';

export const MERGE_SUGGEST_JOB = 'crm.merge-suggestions';
/** When the last pass started: the next incremental one looks at contacts changed since. */
const LAST_RUN_KEY = 'merge_suggestions_last_run';
/** A change waits this long, so a burst of changes makes one pass. */
const DEBOUNCE_MS = 15_000;

export interface MergeSuggestionDto {
  id: string;
  score: number;
  reasons: MergeReason[];
  contacts: [ContactDto, ContactDto];
  computedAt: string;
}

export interface RefreshResult {
  mode: 'full' | 'incremental';
  contactsChecked: number | null;
  found: number;
  open: number;
  ms: number;
}

/**
 * Merge suggestions: found by a job (nightly in full, and a few seconds after contacts change for
 * the contacts that changed), listed within the viewer's inboxes, accepted through the merge
 * service (so the merge can be undone) or dismissed, after which the pair is never suggested again.
 */
export class MergeSuggestionService {
  constructor(
    private readonly db: Executor,
    private readonly uow: UnitOfWork,
    private readonly repo: ContactRepository,
    private readonly access: AccessService,
    private readonly merges: MergeService,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Finds pairs (all, or those involving contacts changed since the last pass) and stores them. */
  async refresh(mode: 'full' | 'incremental'): Promise<RefreshResult> {
    const started = this.clock.now();
    const t0 = performance.now();
    let only: string[] | null = null;
    if (mode === 'incremental') {
      const [last] = await this.db
        .select({ value: appSettings.value })
        .from(appSettings)
        .where(eq(appSettings.key, LAST_RUN_KEY));
      if (last) {
        const since = new Date(last.value).toISOString();
        const rows = await queryRows<{ id: string }>(
          this.db,
          sql`select id from contacts where updated_at >= ${since}::timestamptz
              union select contact_id from contact_identities where created_at >= ${since}::timestamptz`,
        );
        only = rows.map((r) => r.id);
      }
    }
    const found = only && !only.length ? [] : await findPairs(this.db, only);
    await this.uow.run(async (tx) => {
      await this.store(tx, found, only, started);
      await tx
        .insert(appSettings)
        .values({ key: LAST_RUN_KEY, value: started.toISOString() })
        .onConflictDoUpdate({ target: appSettings.key, set: { value: started.toISOString() } });
    });
    const [open] = await queryRows<{ n: number }>(
      this.db,
      sql`select count(*)::int as n from merge_suggestions where status = 'open'`,
    );
    return {
      mode: only ? 'incremental' : 'full',
      contactsChecked: only ? only.length : null,
      found: found.length,
      open: open?.n ?? 0,
      ms: Math.round(performance.now() - t0),
    };
  }

  /** New pairs open; open ones get today's reasons; decided ones stay as decided. */
  private async store(
    tx: Executor,
    found: FoundPair[],
    only: string[] | null,
    started: Date,
  ): Promise<void> {
    for (let i = 0; i < found.length; i += 1000) {
      const part = JSON.stringify(
        found
          .slice(i, i + 1000)
          .map((p) => ({ a: p.a, b: p.b, reasons: p.reasons, score: p.score })),
      );
      await tx.execute(sql`
        insert into merge_suggestions (contact_a, contact_b, reasons, score, computed_at)
        select x.a, x.b, x.reasons, x.score, ${started.toISOString()}::timestamptz
          from jsonb_to_recordset(${part}::jsonb) as x(a uuid, b uuid, reasons jsonb, score float8)
        on conflict (contact_a, contact_b) do update
          set reasons = excluded.reasons, score = excluded.score, computed_at = excluded.computed_at
          where merge_suggestions.status = 'open'`);
    }
    // An open pair no longer found (a contact changed, or was merged) is no suggestion any more.
    const onlyJson = only ? JSON.stringify(only) : null;
    await tx.execute(sql`
      delete from merge_suggestions
       where status = 'open' and computed_at < ${started.toISOString()}::timestamptz
         ${
           onlyJson
             ? sql`and (contact_a in (select jsonb_array_elements_text(${onlyJson}::jsonb)::uuid)
                     or contact_b in (select jsonb_array_elements_text(${onlyJson}::jsonb)::uuid))`
             : sql``
         }`);
  }

  /** Open suggestions, surest first, where the viewer may see both contacts. */
  async list(principal: Principal, limit: number): Promise<MergeSuggestionDto[]> {
    const scope = await this.access.inboxScope(principal);
    const visible = (column: ReturnType<typeof sql>) =>
      scope === 'all'
        ? sql`true`
        : scope.length
          ? sql`exists (select 1 from conversations cv where cv.contact_id = ${column}
                  and cv.inbox_id in (${sql.join(
                    scope.map((id) => sql`${id}::uuid`),
                    sql`, `,
                  )}))`
          : sql`false`;
    const rows = await queryRows<{ id: string }>(
      this.db,
      sql`select s.id from merge_suggestions s
            join contacts a on a.id = s.contact_a and a.merged_into_id is null
            join contacts b on b.id = s.contact_b and b.merged_into_id is null
           where s.status = 'open' and ${visible(sql`s.contact_a`)} and ${visible(sql`s.contact_b`)}
           order by s.score desc, s.id
           limit ${limit}`,
    );
    if (!rows.length) return [];
    const suggestions = await this.db
      .select()
      .from(mergeSuggestions)
      .where(
        sql`${mergeSuggestions.id} in (${sql.join(
          rows.map((r) => sql`${r.id}::uuid`),
          sql`, `,
        )})`,
      );
    const byId = new Map(suggestions.map((s) => [s.id, s]));
    const ids = [...new Set(suggestions.flatMap((s) => [s.contactA, s.contactB]))];
    const dtos = new Map((await this.repo.dtos(ids)).map((c) => [c.id, c]));
    return rows.flatMap(({ id }) => {
      const s = byId.get(id);
      const a = s && dtos.get(s.contactA);
      const b = s && dtos.get(s.contactB);
      return s && a && b
        ? [
            {
              id: s.id,
              score: s.score,
              reasons: s.reasons,
              contacts: [a, b] as [ContactDto, ContactDto],
              computedAt: s.computedAt.toISOString(),
            },
          ]
        : [];
    });
  }

  private async open(principal: Principal, id: string): Promise<MergeSuggestionRow> {
    const [row] = await this.db.select().from(mergeSuggestions).where(eq(mergeSuggestions.id, id));
    if (
      !row ||
      !(await this.access.canSeeContact(principal, row.contactA)) ||
      !(await this.access.canSeeContact(principal, row.contactB))
    )
      throw notFound('merge suggestion');
    if (row.status !== 'open')
      throw new AppError(409, 'already_decided', `this suggestion was ${row.status} already`);
    return row;
  }

  /**
   * Merges the pair through the merge service (audited, undoable for a day): `targetId` (one of
   * the two; default the older contact) is kept and the other moves into it.
   */
  async accept(
    principal: Principal,
    id: string,
    targetId: string | undefined,
  ): Promise<{ contact: ContactDto; mergeId: string; sourceId: string }> {
    const row = await this.open(principal, id);
    let target = targetId;
    if (target === undefined) {
      const [older] = await queryRows<{ id: string }>(
        this.db,
        sql`select id from contacts where id in (${row.contactA}::uuid, ${row.contactB}::uuid)
             order by created_at, id limit 1`,
      );
      target = older!.id;
    }
    if (target !== row.contactA && target !== row.contactB)
      throw new AppError(400, 'validation_failed', 'targetId must be one of the two contacts');
    const source = target === row.contactA ? row.contactB : row.contactA;
    const contact = await this.merges.merge(principal, target, source);
    const mergeId = await this.uow.run(async (tx) => {
      const [merge] = await tx
        .select({ id: contactMerges.id })
        .from(contactMerges)
        .where(and(eq(contactMerges.targetId, target), eq(contactMerges.sourceId, source)))
        .orderBy(desc(contactMerges.createdAt))
        .limit(1);
      await tx
        .update(mergeSuggestions)
        .set({
          status: 'accepted',
          mergeId: merge!.id,
          decidedBy: principal.id,
          decidedAt: this.clock.now(),
        })
        .where(eq(mergeSuggestions.id, id));
      await audit(tx, { type: 'user', id: principal.id }, 'merge_suggestion', id, 'accept', {
        targetId: target,
        sourceId: source,
        mergeId: merge!.id,
      });
      return merge!.id;
    });
    return { contact, mergeId, sourceId: source };
  }

  /** The pair is never suggested again (the row stays, dismissed). */
  async dismiss(principal: Principal, id: string): Promise<void> {
    await this.open(principal, id);
    await this.uow.run(async (tx) => {
      const changed = await tx
        .update(mergeSuggestions)
        .set({ status: 'dismissed', decidedBy: principal.id, decidedAt: this.clock.now() })
        .where(and(eq(mergeSuggestions.id, id), eq(mergeSuggestions.status, 'open')))
        .returning({ id: mergeSuggestions.id });
      if (!changed.length) throw new AppError(409, 'already_decided', 'decided already');
      await audit(tx, { type: 'user', id: principal.id }, 'merge_suggestion', id, 'dismiss', {});
    });
  }

  async refreshOnDemand(principal: Principal): Promise<RefreshResult> {
    if (principal.role === 'agent') throw forbidden('only supervisors and admins run this');
    return this.refresh('full');
  }

  /** A contact changed: one incremental pass a few seconds later (one per burst). */
  async changed(): Promise<void> {
    await this.jobs.enqueue(this.db, {
      kind: MERGE_SUGGEST_JOB,
      key: 'changed',
      payload: { mode: 'incremental' },
      runAt: new Date(this.clock.now().getTime() + DEBOUNCE_MS),
    });
  }

  handler(): JobHandler {
    return async (ctx) => {
      const mode = ctx.job.payload['mode'] === 'incremental' ? 'incremental' : 'full';
      const result = await this.refresh(mode);
      this.logger.info(result, 'merge suggestions refreshed');
      await this.uow.run(async (tx) => {
        await ctx.complete(tx);
        if (mode === 'full') await this.schedule(tx);
      });
    };
  }

  /** The nightly full pass: 03:00 UTC (after the 02:00 CLV refit). */
  async schedule(tx: Executor = this.db): Promise<void> {
    const now = this.clock.now();
    const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 3));
    if (next <= now) next.setUTCDate(next.getUTCDate() + 1);
    await this.jobs.enqueue(tx, {
      kind: MERGE_SUGGEST_JOB,
      key: 'nightly',
      payload: { mode: 'full' },
      runAt: next,
    });
  }
}
