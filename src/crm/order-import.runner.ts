import { randomUUID } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { eq, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import type { UnitOfWork } from '../db/unit-of-work';
import {
  orderImportRows,
  orderImports,
  type IdentityKind,
  type ImportRowError,
} from '../db/schema';
import { queryRows } from '../db/rows';
import { audit } from '../audit/audit';
import { normalizeForSearch } from '../search/normalize';
import { contactSearchSource, identityKindInfo } from '../../channels/identities';
import { CsvError, readCsv, resolveMapping, rowToOrder } from './csv';
import { isRowError, normalizeOrder, type OrderRowError } from './order-input';
import { fieldOfError, toColumnMapping } from './import-mapping';
import type { CrmSettingsStore } from './crm-settings';
import type { CurrencySettingsStore } from './currency-settings';

/**
 * Rows checked and staged per step, each step one short statement: the embedded database runs
 * statements one at a time on this thread, so another request's queries wait for at most one
 * step each (~20–60 ms) rather than for the whole file.
 */
export const STAGE_CHUNK = 2000;
/** Per-row errors kept (the count stays exact). */
export const MAX_IMPORT_ERRORS = 1000;

const STAGED = sql`order_import_rows`;
/** The staged row differs from the stored order (or there is none): it will be written. */
const DIFFERS = sql`(o.contact_id, o.amount, o.currency, o.ordered_at, o.original_amount, o.original_currency)
  is distinct from (s.contact_id, s.amount, s.currency, s.ordered_at, s.original_amount, s.original_currency)`;

type Finish = (tx: Executor) => Promise<unknown>;

/**
 * Runs one stored import: parses the file in chunks, checks every row, stages the good ones in
 * `order_import_rows`, and then either reports (a dry run), refuses (any bad row: nothing is
 * written), or writes everything in ONE transaction with set-based SQL (contacts for unknown
 * identities, an INSERT … SELECT … ON CONFLICT into orders, lifetime values). A run always starts
 * from the file again, so a restarted server resumes an import by redoing it: never half-imported.
 */
export class OrderImportRunner {
  constructor(
    private readonly db: Executor,
    private readonly uow: UnitOfWork,
    private readonly settings: CrmSettingsStore,
    private readonly currencies: CurrencySettingsStore,
  ) {}

  /** `finish` runs inside the final transaction (the job's fenced completion). */
  async run(importId: string, signal?: AbortSignal, finish?: Finish): Promise<void> {
    const [imp] = await this.db.select().from(orderImports).where(eq(orderImports.id, importId));
    if (!imp || !['queued', 'validating', 'importing'].includes(imp.status) || !imp.content) {
      if (finish) await this.uow.run((tx) => finish(tx));
      return;
    }
    await this.db.delete(orderImportRows).where(eq(orderImportRows.importId, importId));
    await this.progress(importId, {
      status: 'validating',
      rowsDone: 0,
      errorCount: 0,
      errors: [],
      startedAt: new Date(),
    });
    const { currency } = await this.settings.get();
    const policy = await this.currencies.policy(currency);
    const errors: ImportRowError[] = [];
    let errorCount = 0;
    const addError = (e: OrderRowError, value: string) => {
      errorCount++;
      if (errors.length < MAX_IMPORT_ERRORS)
        errors.push({
          row: e.index + 2,
          index: e.index,
          field: fieldOfError(e.code),
          code: e.code,
          value: value.slice(0, 100),
          message: e.message,
        });
    };
    let at: ReturnType<typeof resolveMapping> | undefined;
    let index = 0;
    const seen = new Set<string>();
    let chunk: Record<string, unknown>[] = [];
    // One chunk is written while the next is checked (PostgreSQL works in parallel with us).
    let writing: Promise<void> = Promise.resolve();
    const flush = async () => {
      await writing;
      const rows = chunk;
      const done = { rowsDone: index, errorCount };
      chunk = [];
      writing = (rows.length ? this.stage(importId, rows) : Promise.resolve()).then(() =>
        this.progress(importId, done),
      );
      // Awaited at the next flush; a failure meanwhile must not go unhandled.
      writing.catch(() => undefined);
      signal?.throwIfAborted();
      await yieldToEventLoop();
    };
    try {
      for (const cells of readCsv(imp.content)) {
        if (!at) {
          at = resolveMapping(cells, toColumnMapping(imp.mapping ?? {}));
          continue;
        }
        const raw = rowToOrder(cells, at);
        const checked = normalizeOrder(raw, index, policy);
        if (isRowError(checked)) addError(checked, cellFor(checked.code, raw));
        else if (seen.has(checked.externalId))
          addError(
            {
              index,
              code: 'duplicate_external_id',
              message: `externalId ${checked.externalId} appears earlier in this file`,
            },
            checked.externalId,
          );
        else {
          seen.add(checked.externalId);
          chunk.push({
            i: index,
            e: checked.externalId,
            c: checked.contactId,
            k: checked.identity?.kind ?? null,
            v: checked.identity?.value ?? null,
            a: checked.amount,
            cu: checked.currency,
            oa: checked.original?.amount ?? null,
            oc: checked.original?.currency ?? null,
            t: checked.orderedAt.toISOString(),
          });
        }
        index++;
        if (index % STAGE_CHUNK === 0) await flush();
      }
      await flush();
      await writing;
    } catch (err) {
      await writing.catch(() => undefined);
      if (err instanceof CsvError) return this.fail(importId, err.message, [], 0, finish);
      throw err;
    }
    // Orders for a contact id must name one that exists.
    const unknown = await queryRows<{ idx: number; contact_id: string }>(
      this.db,
      sql`select s.idx, s.contact_id::text as contact_id from ${STAGED} s
           where s.import_id = ${importId} and s.contact_id is not null and s.identity_value is null
             and not exists (select 1 from contacts c where c.id = s.contact_id)
           order by s.idx`,
    );
    for (const u of unknown)
      addError(
        {
          index: u.idx,
          code: 'unknown_contact',
          message: `contact ${u.contact_id} does not exist`,
        },
        u.contact_id,
      );
    errors.sort((p, q) => p.index - q.index);
    if (imp.dryRun) {
      const counts = await this.counts(this.db, importId);
      await this.uow.run(async (tx) => {
        await tx.delete(orderImportRows).where(eq(orderImportRows.importId, importId));
        await this.progress(
          importId,
          { status: 'checked', errorCount, errors, ...counts, finishedAt: new Date() },
          tx,
        );
        await finish?.(tx);
      });
      return;
    }
    if (errorCount) return this.fail(importId, 'invalid_rows', errors, errorCount, finish);
    await this.progress(importId, { status: 'importing' });
    signal?.throwIfAborted();
    await this.uow.run(async (tx) => {
      // The existing contacts whose lifetime value changes: owners (new and old) of the orders
      // written. Contacts this import creates are not among them: they start with theirs.
      await tx.execute(sql`
        create temp table order_import_touched on commit drop as
        with r as (${resolved(importId)})
        select distinct t.id from r s left join orders o on o.external_id = s.external_id
         cross join lateral (values (s.contact_id), (o.contact_id)) t(id)
         where t.id is not null and ${DIFFERS}`);
      const contactsCreated = await this.createContacts(tx, importId);
      const counts = await this.counts(tx, importId);
      await tx.execute(sql`
        insert into orders (contact_id, external_id, amount, currency, ordered_at, original_amount, original_currency)
        select contact_id, external_id, amount, currency, ordered_at, original_amount, original_currency
          from (${resolved(importId)}) s
        on conflict (external_id) do update set
          contact_id = excluded.contact_id, amount = excluded.amount, currency = excluded.currency,
          ordered_at = excluded.ordered_at, original_amount = excluded.original_amount,
          original_currency = excluded.original_currency
        where (orders.contact_id, orders.amount, orders.currency, orders.ordered_at, orders.original_amount, orders.original_currency)
          is distinct from (excluded.contact_id, excluded.amount, excluded.currency, excluded.ordered_at, excluded.original_amount, excluded.original_currency)`);
      await tx.execute(sql`
        update contacts c set lifetime_value = s.total
          from (select t.id, sum(o.amount) as total from order_import_touched t
                  left join orders o on o.contact_id = t.id group by t.id) s
         where c.id = s.id and c.lifetime_value is distinct from s.total`);
      await tx.delete(orderImportRows).where(eq(orderImportRows.importId, importId));
      if (counts.created + counts.updated && imp.createdBy)
        await audit(tx, { type: 'user', id: imp.createdBy }, 'orders', importId, 'import', {
          created: counts.created,
          updated: counts.updated,
          contactsCreated,
        });
      await this.progress(
        importId,
        {
          status: 'done',
          created: counts.created,
          updated: counts.updated,
          unchanged: counts.unchanged,
          contactsCreated,
          rowsDone: index,
          content: null,
          finishedAt: new Date(),
        },
        tx,
      );
      await finish?.(tx);
    });
  }

  /** Gives up for good: nothing staged stays, nothing was written. */
  async fail(
    importId: string,
    failure: string,
    errors: ImportRowError[],
    errorCount: number,
    finish?: Finish,
  ): Promise<void> {
    await this.uow.run(async (tx) => {
      await tx.delete(orderImportRows).where(eq(orderImportRows.importId, importId));
      await this.progress(
        importId,
        { status: 'failed', failure, errors, errorCount, content: null, finishedAt: new Date() },
        tx,
      );
      await finish?.(tx);
    });
  }

  private async progress(
    importId: string,
    set: Partial<typeof orderImports.$inferInsert>,
    tx: Executor = this.db,
  ): Promise<void> {
    await tx.update(orderImports).set(set).where(eq(orderImports.id, importId));
  }

  private async stage(importId: string, rows: Record<string, unknown>[]): Promise<void> {
    await this.db.execute(sql`
      insert into ${STAGED} (import_id, idx, external_id, contact_id, identity_kind, identity_value,
                             amount, currency, original_amount, original_currency, ordered_at)
      select ${importId}::uuid, x.i, x.e, coalesce(x.c, ci.contact_id), x.k::identity_kind, x.v, x.a,
             x.cu, x.oa, x.oc, x.t
        from json_to_recordset(${JSON.stringify(rows)}::json)
          as x(i int, e text, c uuid, k text, v text, a numeric, cu text, oa numeric, oc text, t timestamptz)
        left join contact_identities ci
          on x.c is null and ci.kind = x.k::identity_kind and ci.value = x.v`);
  }

  /** What the import does (or would do: before its contacts exist, a new identity is a new owner). */
  private async counts(
    db: Executor,
    importId: string,
  ): Promise<{ created: number; updated: number; unchanged: number; contactsCreated: number }> {
    const [row] = await queryRows<{
      created: number;
      updated: number;
      unchanged: number;
      contacts_created: number;
    }>(
      db,
      sql`with r as (${resolved(importId)})
          select count(*) filter (where o.id is null)::int as created,
                 count(*) filter (where o.id is not null and ${DIFFERS})::int as updated,
                 count(*) filter (where o.id is not null and not ${DIFFERS})::int as unchanged,
                 (select count(*) from (select distinct identity_kind, identity_value from r
                                         where contact_id is null) n)::int as contacts_created
            from r s left join orders o on o.external_id = s.external_id`,
    );
    return {
      created: row?.created ?? 0,
      updated: row?.updated ?? 0,
      unchanged: row?.unchanged ?? 0,
      contactsCreated: row?.contacts_created ?? 0,
    };
  }

  /** A contact (named after it) for every identity the file has that we do not know. */
  private async createContacts(tx: Executor, importId: string): Promise<number> {
    // Their lifetime value is the sum of their orders in this file (they have no others), written
    // with them: the update of lifetime values afterwards leaves them out.
    const missing = await queryRows<{ kind: IdentityKind; value: string; total: string }>(
      tx,
      sql`select r.identity_kind::text as kind, r.identity_value as value, sum(r.amount)::text as total
            from (${resolved(importId)}) r where r.contact_id is null
           group by r.identity_kind, r.identity_value`,
    );
    for (let i = 0; i < missing.length; i += 5000) {
      const part = missing.slice(i, i + 5000).map((identity) => {
        const name = identityKindInfo(identity.kind).defaultName(identity.value);
        return {
          id: randomUUID(),
          k: identity.kind,
          v: identity.value,
          n: name,
          s: normalizeForSearch(contactSearchSource(name, [identity])),
          l: identity.total,
        };
      });
      const json = JSON.stringify(part);
      await tx.execute(sql`
        insert into contacts (id, name, search_text, lifetime_value)
        select x.id, x.n, x.s, x.l
          from json_to_recordset(${json}::json) as x(id uuid, n text, s text, l numeric)`);
      await tx.execute(sql`
        insert into contact_identities (contact_id, kind, value)
        select x.id, x.k::identity_kind, x.v from json_to_recordset(${json}::json) as x(id uuid, k text, v text)`);
    }
    return missing.length;
  }
}

/**
 * An import's staged rows with their contact: named, found at staging, or found now (a contact
 * created since, e.g. by the final transaction for an identity the file introduced).
 */
function resolved(importId: string) {
  return sql`select s.idx, s.external_id, coalesce(s.contact_id, ci.contact_id) as contact_id,
                    s.amount, s.currency, s.ordered_at, s.original_amount, s.original_currency,
                    s.identity_kind, s.identity_value
               from ${STAGED} s
               left join contact_identities ci
                 on s.contact_id is null and ci.kind = s.identity_kind and ci.value = s.identity_value
              where s.import_id = ${importId}`;
}

/** The cell a row error is about, for the error table. */
function cellFor(code: string, raw: ReturnType<typeof rowToOrder>): string {
  switch (fieldOfError(code)) {
    case 'externalId':
      return raw.externalId;
    case 'amount':
      return raw.amount;
    case 'currency':
      return raw.currency ?? '';
    case 'placedAt':
      return raw.placedAt;
    default:
      return raw.contactId ?? raw.identity?.value ?? '';
  }
}
