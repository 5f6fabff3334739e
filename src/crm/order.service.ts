import { randomUUID } from 'node:crypto';
import { desc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import type { UnitOfWork } from '../db/unit-of-work';
import { contactIdentities, contacts, orders, type IdentityKind } from '../db/schema';
import { queryRows } from '../db/rows';
import type { Principal } from '../auth/auth.service';
import type { AccessService } from '../auth/access.service';
import { audit } from '../audit/audit';
import { forbidden, notFound } from '../errors';
import type { CurrencySettingsStore } from './currency-settings';
import { normalizeForSearch } from '../search/normalize';
import { contactSearchSource, identityKindInfo } from '../../channels/identities';
import type { CrmSettingsStore } from './crm-settings';
import {
  isRowError,
  normalizeOrder,
  type NormalizedOrder,
  type OrderRowError,
  type RawOrder,
} from './order-input';

export const MAX_ORDERS_PER_REQUEST = 10_000;
export const MAX_CSV_ROWS = 200_000;
const CHUNK = 1000;

export interface OrderImportResult {
  created: number;
  updated: number;
  /** Orders sent again unchanged (idempotent replays). */
  unchanged: number;
  /** Contacts created for identities we did not know. */
  contactsCreated: number;
  errors: OrderRowError[];
}

export interface OrderDto {
  id: string;
  externalId: string;
  contactId: string;
  amount: string;
  currency: string;
  placedAt: string;
}

/**
 * Orders from a shop or ERP. Idempotent by `externalId`: sending an order again changes it (or
 * nothing); an identity we do not know creates its contact. A row with a problem is reported by
 * its index and skipped; the valid rows of the batch are written in one transaction, and the
 * contacts' `lifetime_value` (sum of their orders, refunds included) is recomputed in it.
 */
export class OrderService {
  constructor(
    private readonly db: Executor,
    private readonly uow: UnitOfWork,
    private readonly settings: CrmSettingsStore,
    private readonly access: AccessService,
    private readonly currencies: CurrencySettingsStore,
  ) {}

  requireManager(principal: Principal): void {
    if (principal.role === 'agent') throw forbidden('only supervisors and admins manage orders');
  }

  async submit(principal: Principal, rows: RawOrder[]): Promise<OrderImportResult> {
    this.requireManager(principal);
    const { currency } = await this.settings.get();
    const policy = await this.currencies.policy(currency);
    const checked = rows.map((row, i) => normalizeOrder(row, i, policy));
    return this.write(principal, checked);
  }

  /** Writes already-checked rows: the good ones in one transaction, the others reported. */
  async write(
    principal: Principal,
    checked: (NormalizedOrder | OrderRowError)[],
  ): Promise<OrderImportResult> {
    const errors = checked.filter(isRowError);
    const seen = new Set<string>();
    const valid: NormalizedOrder[] = [];
    for (const row of checked) {
      if (isRowError(row)) continue;
      if (seen.has(row.externalId)) {
        errors.push({
          index: row.index,
          code: 'duplicate_external_id',
          message: `externalId ${row.externalId} appears earlier in this batch`,
        });
        continue;
      }
      seen.add(row.externalId);
      valid.push(row);
    }
    const result: OrderImportResult = {
      created: 0,
      updated: 0,
      unchanged: 0,
      contactsCreated: 0,
      errors,
    };
    if (valid.length)
      await this.uow.run(async (tx) => {
        const resolved = await this.resolveContacts(tx, valid, errors, result);
        const touched = new Set<string>();
        for (let i = 0; i < resolved.length; i += CHUNK)
          await this.upsertChunk(tx, resolved.slice(i, i + CHUNK), result, touched);
        await refreshLifetimeValues(tx, [...touched]);
        if (result.created + result.updated)
          await audit(tx, { type: 'user', id: principal.id }, 'orders', randomUUID(), 'import', {
            created: result.created,
            updated: result.updated,
            contactsCreated: result.contactsCreated,
            errors: errors.length,
          });
      });
    errors.sort((p, q) => p.index - q.index);
    return result;
  }

  private async resolveContacts(
    tx: Executor,
    rows: NormalizedOrder[],
    errors: OrderRowError[],
    result: OrderImportResult,
  ): Promise<(NormalizedOrder & { contactId: string })[]> {
    const byId = [...new Set(rows.flatMap((r) => (r.contactId ? [r.contactId] : [])))];
    const known = new Set<string>();
    for (let i = 0; i < byId.length; i += CHUNK) {
      const found = await tx
        .select({ id: contacts.id })
        .from(contacts)
        .where(inArray(contacts.id, byId.slice(i, i + CHUNK)));
      for (const f of found) known.add(f.id);
    }
    const identityKey = (i: { kind: IdentityKind; value: string }) => `${i.kind}:${i.value}`;
    const wanted = new Map<string, { kind: IdentityKind; value: string }>();
    for (const r of rows) if (r.identity) wanted.set(identityKey(r.identity), r.identity);
    const owners = new Map<string, string>();
    const list = [...wanted.values()];
    for (let i = 0; i < list.length; i += CHUNK) {
      const part = list.slice(i, i + CHUNK);
      const found = await queryRows<{ kind: IdentityKind; value: string; contact_id: string }>(
        tx,
        sql`select ci.kind, ci.value, ci.contact_id from contact_identities ci
            join jsonb_to_recordset(${JSON.stringify(part)}::jsonb) as w(kind text, value text)
              on ci.kind::text = w.kind and ci.value = w.value`,
      );
      for (const f of found) owners.set(identityKey(f), f.contact_id);
    }
    const missing = list.filter((i) => !owners.has(identityKey(i)));
    result.contactsCreated = missing.length;
    if (missing.length) {
      for (let i = 0; i < missing.length; i += CHUNK) {
        const part = missing.slice(i, i + CHUNK);
        const created = await tx
          .insert(contacts)
          .values(
            part.map((identity) => {
              const name = identityKindInfo(identity.kind).defaultName(identity.value);
              return {
                name,
                searchText: normalizeForSearch(contactSearchSource(name, [identity])),
              };
            }),
          )
          .returning({ id: contacts.id });
        await tx
          .insert(contactIdentities)
          .values(part.map((identity, j) => ({ contactId: created[j]!.id, ...identity })));
        part.forEach((identity, j) => owners.set(identityKey(identity), created[j]!.id));
      }
    }
    const out: (NormalizedOrder & { contactId: string })[] = [];
    for (const r of rows) {
      const contactId =
        r.contactId ?? (r.identity ? owners.get(identityKey(r.identity)) : undefined);
      if (!contactId || (r.contactId && !known.has(r.contactId))) {
        errors.push({
          index: r.index,
          code: 'unknown_contact',
          message: `contact ${r.contactId ?? '?'} does not exist`,
        });
        continue;
      }
      out.push({ ...r, contactId });
    }
    return out;
  }

  private async upsertChunk(
    tx: Executor,
    rows: (NormalizedOrder & { contactId: string })[],
    result: OrderImportResult,
    touched: Set<string>,
  ): Promise<void> {
    const existing = await tx
      .select({
        externalId: orders.externalId,
        contactId: orders.contactId,
        amount: orders.amount,
        currency: orders.currency,
        orderedAt: orders.orderedAt,
        originalAmount: orders.originalAmount,
        originalCurrency: orders.originalCurrency,
      })
      .from(orders)
      .where(
        inArray(
          orders.externalId,
          rows.map((r) => r.externalId),
        ),
      );
    const before = new Map(existing.map((e) => [e.externalId, e]));
    const changed = rows.filter((r) => {
      const old = before.get(r.externalId);
      if (!old) {
        result.created++;
      } else if (
        old.contactId === r.contactId &&
        Number(old.amount) === Number(r.amount) &&
        old.currency === r.currency &&
        old.orderedAt.getTime() === r.orderedAt.getTime() &&
        (old.originalAmount === null ? null : Number(old.originalAmount)) ===
          (r.original ? Number(r.original.amount) : null) &&
        old.originalCurrency === (r.original?.currency ?? null)
      ) {
        result.unchanged++;
        return false;
      } else {
        result.updated++;
        touched.add(old.contactId);
      }
      touched.add(r.contactId);
      return true;
    });
    if (!changed.length) return;
    const payload = changed.map((r) => ({
      contact_id: r.contactId,
      external_id: r.externalId,
      amount: r.amount,
      currency: r.currency,
      ordered_at: r.orderedAt.toISOString(),
      original_amount: r.original?.amount ?? null,
      original_currency: r.original?.currency ?? null,
    }));
    await tx.execute(sql`
      insert into orders (contact_id, external_id, amount, currency, ordered_at, original_amount, original_currency)
      select contact_id, external_id, amount, currency, ordered_at, original_amount, original_currency
        from jsonb_to_recordset(${JSON.stringify(payload)}::jsonb)
          as x(contact_id uuid, external_id text, amount numeric, currency text, ordered_at timestamptz,
               original_amount numeric, original_currency text)
      on conflict (external_id) do update set
        contact_id = excluded.contact_id, amount = excluded.amount,
        currency = excluded.currency, ordered_at = excluded.ordered_at,
        original_amount = excluded.original_amount, original_currency = excluded.original_currency`);
  }

  async forContact(
    principal: Principal,
    contactId: string,
    limit = 100,
  ): Promise<{ items: OrderDto[]; total: string; count: number }> {
    if (!(await this.access.canSeeContact(principal, contactId))) throw notFound('contact');
    const rows = await this.db
      .select()
      .from(orders)
      .where(eq(orders.contactId, contactId))
      .orderBy(desc(orders.orderedAt))
      .limit(limit);
    const [totals] = await queryRows<{ total: string | null; count: number }>(
      this.db,
      sql`select coalesce(sum(amount), 0)::text as total, count(*)::int as count from orders where contact_id = ${contactId}`,
    );
    return {
      items: rows.map((r) => ({
        id: r.id,
        externalId: r.externalId,
        contactId: r.contactId,
        amount: r.amount,
        currency: r.currency,
        placedAt: r.orderedAt.toISOString(),
      })),
      total: totals?.total ?? '0',
      count: totals?.count ?? 0,
    };
  }
}

/** `contacts.lifetime_value` = the sum of the contact's orders (null without orders). */
export async function refreshLifetimeValues(tx: Executor, contactIds: string[]): Promise<void> {
  for (let i = 0; i < contactIds.length; i += 5000) {
    const ids = JSON.stringify(contactIds.slice(i, i + 5000));
    await tx.execute(sql`
      update contacts c set lifetime_value = s.total
        from (select ids.id, sums.total
                from (select distinct value::uuid as id from jsonb_array_elements_text(${ids}::jsonb)) ids
                left join (select o.contact_id, sum(o.amount) as total from orders o
                            where o.contact_id in (select value::uuid from jsonb_array_elements_text(${ids}::jsonb))
                            group by o.contact_id) sums on sums.contact_id = ids.id) s
       where c.id = s.id and c.lifetime_value is distinct from s.total`);
  }
}
