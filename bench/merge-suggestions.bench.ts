/**
 * Merge suggestions (`npm run bench:merges`): BENCH_CONTACTS contacts (default 50,000), each with
 * an e-mail and a phone, and 1% of them with a twin written differently: the same Gmail address
 * with dots and a +tag, the same mobile as a national number in Persian digits (an attribute),
 * the name in Persian script, or the name in Cyrillic. Prints the time of a full pass, of an
 * incremental pass after 100 contacts changed, and of the first page of the list; how many
 * twins were found (recall) and how many other pairs were suggested.
 *
 *   DATABASE_URL=…    a fresh database is created on that server (and dropped afterwards)
 */
import { queryRows } from '../src/db/rows';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../src/config/config';
import { createLogger } from '../src/logger';
import { startServer } from '../src/server';
import { createTestStorage } from '../test/helpers/database';

const FIRST: [string, string, string][] = [
  ['Mohammad', 'محمد', 'Мохаммад'],
  ['Ali', 'علی', 'Али'],
  ['Reza', 'رضا', 'Реза'],
  ['Hossein', 'حسین', 'Хосейн'],
  ['Fatemeh', 'فاطمه', 'Фатеме'],
  ['Zahra', 'زهرا', 'Захра'],
  ['Maryam', 'مریم', 'Марьям'],
  ['Sara', 'سارا', 'Сара'],
  ['Javad', 'جواد', 'Джавад'],
  ['Kaveh', 'کاوه', 'Каве'],
];
const LAST: [string, string, string][] = [
  ['Rezaei', 'رضایی', 'Резаи'],
  ['Ahmadi', 'احمدی', 'Ахмади'],
  ['Mousavi', 'موسوی', 'Мусави'],
  ['Karimi', 'کریمی', 'Карими'],
  ['Jafari', 'جعفری', 'Джафари'],
  ['Hashemi', 'هاشمی', 'Хашеми'],
  ['Sadeghi', 'صادقی', 'Садеги'],
  ['Khosravi', 'خسروی', 'Хосрави'],
  ['Ebrahimi', 'ابراهیمی', 'Эбрахими'],
  ['Rostami', 'رستمی', 'Ростами'],
];
const SYLLABLES = [
  'ba',
  'de',
  'fi',
  'go',
  'ku',
  'la',
  'me',
  'ni',
  'po',
  'ru',
  'sa',
  'te',
  'vi',
  'zo',
];

function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface Row {
  name: string;
  email: string;
  phone: string | null;
  attributes: Record<string, string>;
  twinOf: number | null;
}

function population(n: number): Row[] {
  const rand = seededRandom(7);
  const word = () =>
    Array.from({ length: 3 + Math.floor(rand() * 2) }, () => SYLLABLES[Math.floor(rand() * 14)])
      .join('')
      .replace(/^./, (c) => c.toUpperCase());
  const rows: Row[] = [];
  for (let i = 0; i < n; i++)
    rows.push({
      name: `${word()} ${word()}`,
      email: `user${i}@example.com`,
      phone: `+98912${String(1_000_000 + i).padStart(7, '0')}`,
      attributes: {},
      twinOf: null,
    });
  const persian = (d: string) => d.replace(/\d/g, (x) => '۰۱۲۳۴۵۶۷۸۹'[Number(x)]!);
  const twins = Math.floor(n / 100);
  for (let k = 0; k < twins; k++) {
    const i = Math.floor((k * n) / twins);
    const base = rows[i]!;
    const kind = k % 4;
    if (kind === 0) {
      base.email = `first.last${i}@gmail.com`;
      rows.push({ ...twin(i), email: `firstlast${i}+shop@googlemail.com` });
    } else if (kind === 1) {
      rows.push({ ...twin(i), attributes: { phone: persian(`0${base.phone!.slice(3)}`) } });
    } else {
      // A name combination used once: first × last × a third word from the syllables.
      const f = FIRST[k % FIRST.length]!;
      const l = LAST[Math.floor(k / FIRST.length) % LAST.length]!;
      const third = ['Tabrizi', 'Esfahani', 'Gilani', 'Kermani', 'Yazdi'][Math.floor(k / 100) % 5]!;
      const thirdFa = ['تبریزی', 'اصفهانی', 'گیلانی', 'کرمانی', 'یزدی'][Math.floor(k / 100) % 5]!;
      const thirdRu = ['Табризи', 'Эсфахани', 'Гилани', 'Кермани', 'Язди'][
        Math.floor(k / 100) % 5
      ]!;
      base.name = `${f[0]} ${l[0]} ${third}`;
      rows.push({
        ...twin(i),
        name: kind === 2 ? `${f[1]} ${l[1]} ${thirdFa}` : `${f[2]} ${l[2]} ${thirdRu}`,
      });
    }
  }
  return rows;

  function twin(i: number): Row {
    return {
      name: rows[i]!.name,
      email: `twin${i}@example.net`,
      phone: null,
      attributes: {},
      twinOf: i,
    };
  }
}

async function main(): Promise<void> {
  const n = Number(process.env.BENCH_CONTACTS ?? 50_000);
  const storage = await createTestStorage();
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: storage.dataDir,
    ADMIN_EMAIL: 'bench@example.com',
    ADMIN_PASSWORD: 'bench-password-1',
    ...(storage.databaseUrl ? { DATABASE_URL: storage.databaseUrl } : {}),
  });
  const server = await startServer(config, createLogger('warn'), { print: () => undefined });
  try {
    const db = server.database.db;
    const rows = population(n);
    const s0 = performance.now();
    const ids: string[] = [];
    for (let i = 0; i < rows.length; i += 5000) {
      const part = rows.slice(i, i + 5000).map((r) => ({ ...r, id: randomUUID() }));
      ids.push(...part.map((r) => r.id));
      await db.execute(sql`
        insert into contacts (id, name, custom_attributes)
        select x.id, x.name, x.attributes
          from jsonb_to_recordset(${JSON.stringify(part)}::jsonb) as x(id uuid, name text, attributes jsonb)`);
      const identities = part.flatMap((r, k) => [
        { contact_id: ids[i + k], kind: 'email', value: r.email },
        ...(r.phone ? [{ contact_id: ids[i + k], kind: 'phone', value: r.phone }] : []),
      ]);
      await db.execute(sql`
        insert into contact_identities (contact_id, kind, value)
        select x.contact_id, x.kind::identity_kind, x.value
          from jsonb_to_recordset(${JSON.stringify(identities)}::jsonb)
            as x(contact_id uuid, kind text, value text)`);
    }
    await db.execute(sql`analyze`);
    console.log(
      `seeded ${rows.length} contacts (${rows.length - n} twins) on ${server.database.kind} in ${((performance.now() - s0) / 1000).toFixed(1)} s`,
    );

    const suggestions = server.crm.suggestions;
    const full = await suggestions.refresh('full');
    const found = {
      rows: await queryRows<{ contact_a: string; contact_b: string }>(
        db,
        sql`select contact_a, contact_b from merge_suggestions where status = 'open'`,
      ),
    };
    const pairKey = (x: string, y: string) => (x < y ? `${x}:${y}` : `${y}:${x}`);
    const foundKeys = new Set(found.rows.map((r) => pairKey(r.contact_a, r.contact_b)));
    const expected = rows.flatMap((r, k) =>
      r.twinOf === null ? [] : [pairKey(ids[r.twinOf]!, ids[k]!)],
    );
    const hits = expected.filter((k) => foundKeys.has(k)).length;
    const byKind = [0, 1, 2, 3].map((kind) => {
      const of = expected.filter((_, k) => k % 4 === kind);
      return `${of.filter((k) => foundKeys.has(k)).length}/${of.length}`;
    });
    console.log(
      `full pass: ${full.ms} ms, ${full.found} pairs; twins found ${hits}/${expected.length} ` +
        `(e-mail ${byKind[0]}, phone ${byKind[1]}, Persian name ${byKind[2]}, Cyrillic name ${byKind[3]}), ` +
        `other pairs ${full.found - hits}`,
    );

    const expectedKeys = new Set(expected);
    const others = found.rows.filter((r) => !expectedKeys.has(pairKey(r.contact_a, r.contact_b)));
    const nameOf = new Map(ids.map((id, k) => [id, rows[k]!.name]));
    console.log(
      `  e.g. ${others
        .slice(0, 4)
        .map((r) => `${nameOf.get(r.contact_a)} ~ ${nameOf.get(r.contact_b)}`)
        .join('; ')}`,
    );
    await db.execute(sql`update contacts set updated_at = now()
                          where id in (select id from contacts order by id limit 100)`);
    const incremental = await suggestions.refresh('incremental');
    console.log(
      `incremental pass after ${incremental.contactsChecked} changed contacts: ${incremental.ms} ms, ${incremental.found} pairs`,
    );

    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'bench@example.com', password: 'bench-password-1' }),
    });
    const { token } = (await login.json()) as { token: string };
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const res = await fetch(`${server.url}/api/v1/crm/merge-suggestions?limit=50`, {
        headers: { authorization: `Bearer ${token}`, connection: 'close' },
      });
      await res.json();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    console.log(`GET /crm/merge-suggestions (50): median ${times[2]!.toFixed(0)} ms`);
  } finally {
    await server.stop();
    await storage.cleanup();
  }
}

await main();
