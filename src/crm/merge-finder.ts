import { sql, type SQL } from 'drizzle-orm';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import type { Executor } from '../db/client';
import { queryRows } from '../db/rows';
import type { MergeReason } from '../db/schema';
import { NAME_THRESHOLD, emailKey, nameKey, nameKeySimilarity, phoneKey } from './match-keys';

/** How sure each kind of match alone makes us (a pair's score combines its reasons). */
const WEIGHT: Record<MergeReason['kind'], number> = {
  email: 0.95,
  phone: 0.9,
  telegram_phone: 0.9,
  name: 0.7,
};
/** Blocks (and identical keys) bigger than this are not compared pairwise. */
const MAX_NAME_BLOCK = 300;
/** A name borne by more contacts than this is too common to suggest a merge on alone. */
const MAX_SAME_NAME = 5;
/** A national number is also tried in this many of the install's most common countries. */
const USUAL_COUNTRIES = 3;
/** How many contacts' stored numbers tell the install's usual countries. */
const COUNTRY_SAMPLE = 2000;
const ATTRIBUTE_PHONE = /phone|mobile|^tel$|تلفن|موبایل|телефон/i;
const ATTRIBUTE_EMAIL = /e-?mail|ایمیل|почта/i;

export interface FoundPair {
  a: string;
  b: string;
  reasons: MergeReason[];
  score: number;
}

/** 1 − Π(1 − wᵢ): two independent reasons are surer than either. */
export function combinedScore(reasons: readonly MergeReason[]): number {
  const miss = reasons.reduce((p, r) => p * (1 - WEIGHT[r.kind] * r.similarity), 1);
  return Math.round((1 - miss) * 1000) / 1000;
}

function countryOf(e164: string | null | undefined): CountryCode | undefined {
  return e164 ? parsePhoneNumberFromString(e164)?.country : undefined;
}

class Pairs {
  private readonly map = new Map<string, FoundPair>();
  constructor(private readonly only: Set<string> | null) {}

  add(x: string, y: string, reason: MergeReason): void {
    if (x === y) return;
    if (this.only && !this.only.has(x) && !this.only.has(y)) return;
    const [a, b] = x < y ? [x, y] : [y, x];
    const r = x < y ? reason : { ...reason, a: reason.b, b: reason.a };
    const key = `${a}:${b}`;
    const pair = this.map.get(key) ?? { a, b, reasons: [], score: 0 };
    if (!pair.reasons.some((p) => p.kind === r.kind)) pair.reasons.push(r);
    this.map.set(key, pair);
  }

  has(x: string, y: string): boolean {
    return this.map.has(x < y ? `${x}:${y}` : `${y}:${x}`);
  }

  list(): FoundPair[] {
    return [...this.map.values()].map((p) => ({ ...p, score: combinedScore(p.reasons) }));
  }
}

/** Pairs whose key is equal: every contact with the key against every other. */
function pairUp(
  pairs: Pairs,
  entries: { contactId: string; key: string; value: string }[],
  kind: 'email' | 'phone',
) {
  const byKey = new Map<string, { contactId: string; value: string }[]>();
  for (const e of entries) {
    const list = byKey.get(e.key) ?? [];
    if (!list.some((x) => x.contactId === e.contactId)) list.push(e);
    byKey.set(e.key, list);
  }
  for (const list of byKey.values()) {
    if (list.length < 2 || list.length > MAX_NAME_BLOCK) continue;
    for (let i = 0; i < list.length; i++)
      for (let j = i + 1; j < list.length; j++)
        pairs.add(list[i]!.contactId, list[j]!.contactId, {
          kind,
          a: list[i]!.value,
          b: list[j]!.value,
          similarity: 1,
        });
  }
}

/**
 * Every pair of live (unmerged) contacts that are probably one person, with the reasons: one
 * e-mail or phone in two forms (identities and contact attributes), a phone a Telegram contact
 * shared as their own that another contact has, or names alike across scripts (never on names
 * alone when both have verified e-mails or phones and none is shared). With `only`, just the
 * pairs involving those contacts.
 */
export async function findPairs(db: Executor, only: string[] | null): Promise<FoundPair[]> {
  const pairs = new Pairs(only ? new Set(only) : null);
  const onlyJson = only ? JSON.stringify(only) : null;
  const involving = (a: SQL, b: SQL) =>
    onlyJson
      ? sql`and (${a} in (select jsonb_array_elements_text(${onlyJson}::jsonb)::uuid)
                 or ${b} in (select jsonb_array_elements_text(${onlyJson}::jsonb)::uuid))`
      : sql``;

  // E-mail identities: folded in SQL (case, +tag, Gmail dots) and self-joined on the key.
  const folded = sql`case when split_part(lower(ci.value), '@', 2) in ('gmail.com', 'googlemail.com')
      then replace(regexp_replace(split_part(lower(ci.value), '@', 1), '[+].*$', ''), '.', '') || '@gmail.com'
      else regexp_replace(split_part(lower(ci.value), '@', 1), '[+].*$', '') || '@' || split_part(lower(ci.value), '@', 2) end`;
  const emails = await queryRows<{ a: string; b: string; va: string; vb: string }>(
    db,
    sql`with k as (
          select ci.contact_id, ci.value, ${folded} as key
            from contact_identities ci join contacts c on c.id = ci.contact_id
           where ci.kind = 'email' and c.merged_into_id is null)
        select x.contact_id as a, y.contact_id as b, x.value as va, y.value as vb
          from k x join k y on x.key = y.key and x.contact_id < y.contact_id
         where true ${involving(sql`x.contact_id`, sql`y.contact_id`)}`,
  );
  for (const r of emails) pairs.add(r.a, r.b, { kind: 'email', a: r.va, b: r.vb, similarity: 1 });

  // A Telegram contact who shared their own phone, which another contact already has.
  const shared = await queryRows<{ a: string; b: string; phone: string }>(
    db,
    sql`select distinct cv.contact_id as a, pi.contact_id as b, pi.value as phone
          from messages m
          join conversations cv on cv.id = m.conversation_id and cv.channel = 'telegram'
          join contact_identities ti on ti.contact_id = cv.contact_id and ti.kind = 'telegram'
           and ti.value = m.meta->'contact'->>'userId'
          join contact_identities pi on pi.kind = 'phone' and pi.value = m.meta->'contact'->>'phone'
           and pi.contact_id <> cv.contact_id
          join contacts ca on ca.id = cv.contact_id and ca.merged_into_id is null
          join contacts cb on cb.id = pi.contact_id and cb.merged_into_id is null
         where m.direction = 'in' and m.meta ? 'contact'
               ${involving(sql`cv.contact_id`, sql`pi.contact_id`)}`,
  );
  for (const r of shared)
    pairs.add(r.a, r.b, { kind: 'telegram_phone', a: r.phone, b: r.phone, similarity: 1 });

  // Phones (identities and attributes) and attribute e-mails need libphonenumber: read here.
  const values = await queryRows<{
    contact_id: string;
    kind: string;
    value: string;
    inbox_number: string | null;
  }>(
    db,
    sql`select ci.contact_id, 'phone' as kind, ci.value,
               (select i.routing_key from conversations cv join inboxes i on i.id = cv.inbox_id
                 where cv.contact_id = ci.contact_id and i.channel in ('sms', 'voice') limit 1)
                 as inbox_number
          from contact_identities ci join contacts c on c.id = ci.contact_id
         where ci.kind = 'phone' and c.merged_into_id is null
        union all
        select c.id, case when kv.key ~* ${ATTRIBUTE_PHONE.source} then 'phone' else 'email' end,
               kv.value, null
          from contacts c, jsonb_each_text(c.custom_attributes) kv
         where c.merged_into_id is null
           and (kv.key ~* ${ATTRIBUTE_PHONE.source} or kv.key ~* ${ATTRIBUTE_EMAIL.source})`,
  );
  // A number already in E.164 (what ingest stores) is its own key. Another form (a national
  // number with a leading 0, Persian digits, spaces) is read in the contact's own country, their
  // SMS inbox's, or the install's usual ones (the most common among a sample of stored numbers).
  const e164 = (v: string) => /^\+[1-9]\d{6,14}$/.test(v);
  const byContact = new Map<string, string[]>();
  for (const v of values)
    if (v.kind === 'phone' && e164(v.value))
      byContact.set(v.contact_id, [...(byContact.get(v.contact_id) ?? []), v.value]);
  const countries = new Map<CountryCode, number>();
  let sampled = 0;
  for (const numbers of byContact.values()) {
    if (sampled++ >= COUNTRY_SAMPLE) break;
    const c = countryOf(numbers[0]);
    if (c) countries.set(c, (countries.get(c) ?? 0) + 1);
  }
  const usual = [...countries.entries()]
    .sort((x, y) => y[1] - x[1])
    .slice(0, USUAL_COUNTRIES)
    .map(([c]) => c);
  const phones: { contactId: string; key: string; value: string }[] = [];
  const mails: { contactId: string; key: string; value: string }[] = [];
  for (const v of values) {
    if (v.kind === 'phone' && e164(v.value)) {
      phones.push({ contactId: v.contact_id, key: v.value, value: v.value });
    } else if (v.kind === 'phone') {
      const tries = new Set<CountryCode | undefined>([
        countryOf(byContact.get(v.contact_id)?.[0]),
        countryOf(v.inbox_number),
        ...usual,
      ]);
      const keys = new Set<string>();
      for (const country of tries) {
        const key = phoneKey(v.value, country);
        if (key) keys.add(key);
        // An international number reads the same in every country: one try is enough.
        if (key && v.value.trim().startsWith('+')) break;
      }
      for (const key of keys) phones.push({ contactId: v.contact_id, key, value: v.value });
    } else {
      const key = emailKey(v.value);
      if (key) mails.push({ contactId: v.contact_id, key, value: v.value });
    }
  }
  const identityEmails = await queryRows<{ contact_id: string; value: string }>(
    db,
    sql`select ci.contact_id, ci.value from contact_identities ci
          join contacts c on c.id = ci.contact_id
         where ci.kind = 'email' and c.merged_into_id is null`,
  );
  if (mails.length)
    for (const e of identityEmails) {
      const key = emailKey(e.value);
      if (key) mails.push({ contactId: e.contact_id, key, value: e.value });
    }
  pairUp(pairs, phones, 'phone');
  pairUp(pairs, mails, 'email');

  await addNamePairs(db, pairs);
  return pairs.list();
}

/** Names alike across scripts, compared within blocks of one shared word skeleton. */
async function addNamePairs(db: Executor, pairs: Pairs): Promise<void> {
  const rows = await queryRows<{ id: string; name: string }>(
    db,
    sql`select id, name from contacts where merged_into_id is null and name <> ''`,
  );
  const verified = await queryRows<{ contact_id: string; kind: string; value: string }>(
    db,
    sql`select ci.contact_id, ci.kind, ci.value from contact_identities ci
          join contacts c on c.id = ci.contact_id
         where ci.verified and ci.kind in ('email', 'phone') and c.merged_into_id is null`,
  );
  const proofs = new Map<string, Set<string>>();
  for (const v of verified) {
    const key = v.kind === 'email' ? emailKey(v.value) : v.value;
    if (!key) continue;
    const set = proofs.get(v.contact_id) ?? new Set<string>();
    set.add(`${v.kind}:${key}`);
    proofs.set(v.contact_id, set);
  }
  const keyed = rows.flatMap((r) => {
    const k = nameKey(r.name);
    return k ? [{ id: r.id, name: r.name, key: k.key, parts: k }] : [];
  });
  // How many contacts bear each name: a common name says nothing about who is who.
  const bearers = new Map<string, number>();
  for (const r of keyed) bearers.set(r.key, (bearers.get(r.key) ?? 0) + 1);
  // Candidates share one word's skeleton and the first letter of the rest (Rezaei Mohammad and
  // Mohammad Rezai meet in "mhmd|r" and "rz|m"); a block too big to compare pairwise is skipped.
  const blocks = new Map<string, number[]>();
  keyed.forEach((r, i) => {
    const words = r.key.split(' ');
    words.forEach((word, w) => {
      if (word.length < 2) return;
      const rest = words
        .filter((_, k) => k !== w)
        .map((x) => x[0])
        .join('');
      const block = `${word}|${rest}`;
      const list = blocks.get(block) ?? [];
      list.push(i);
      blocks.set(block, list);
    });
  });
  const seen = new Set<string>();
  for (const list of blocks.values()) {
    if (list.length < 2 || list.length > MAX_NAME_BLOCK) continue;
    for (let i = 0; i < list.length; i++)
      for (let j = i + 1; j < list.length; j++) {
        const x = keyed[list[i]!]!;
        const y = keyed[list[j]!]!;
        const id = x.id < y.id ? `${x.id}:${y.id}` : `${y.id}:${x.id}`;
        if (seen.has(id)) continue;
        seen.add(id);
        const similarity = nameKeySimilarity(x.parts, y.parts);
        if (similarity < NAME_THRESHOLD) continue;
        const known = pairs.has(x.id, y.id);
        if (
          !known &&
          ((bearers.get(x.key) ?? 0) > MAX_SAME_NAME || (bearers.get(y.key) ?? 0) > MAX_SAME_NAME)
        )
          continue;
        const px = proofs.get(x.id);
        const py = proofs.get(y.id);
        // Two verified, different e-mails/phones say two people, whatever the names say.
        if (!known && px && py && ![...px].some((p) => py.has(p))) continue;
        pairs.add(x.id, y.id, {
          kind: 'name',
          a: x.name,
          b: y.name,
          similarity: Math.round(similarity * 1000) / 1000,
        });
      }
  }
}
