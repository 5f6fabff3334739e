import { existsSync, mkdirSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { join, dirname } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import * as schema from './schema';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Either the database or an open transaction: repositories accept both. */
export type Executor = Db | Tx;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

const migrationsFolder = join(dirname(fileURLToPath(import.meta.url)), '../../drizzle');
// Any constant works; it only has to be the same for every instance migrating one database.
const MIGRATION_LOCK = 72430001;

export async function openDatabase(opts: {
  databaseUrl?: string;
  dataDir: string;
  poolSize?: number;
  /** PGlite's shared_buffers, e.g. `32MB`: most of the embedded database's idle memory. */
  pgliteSharedBuffers?: string;
  /** An idle connection the server dropped (a restart, an administrator): logged, not fatal. */
  onConnectionError?: (err: Error) => void;
}): Promise<Database> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 20 });
    // Without a listener, an idle client's error would be an unhandled 'error' event and end the
    // process; the pool replaces the connection on the next query.
    pool.on('error', (err) => opts.onConnectionError?.(err));
    // Several instances may start at once against one server: serialise their migrations.
    const client = await pool.connect();
    try {
      await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
      try {
        await migratePg(drizzlePg({ client, schema }), { migrationsFolder });
      } finally {
        await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]);
      }
    } finally {
      client.release();
    }
    return { db: drizzlePg({ client: pool, schema }), kind: 'postgres', close: () => pool.end() };
  }
  const dir = join(opts.dataDir, 'pgdata');
  const fresh = !existsSync(join(dir, 'PG_VERSION'));
  mkdirSync(dir, { recursive: true });
  const start = () =>
    PGlite.create(dir, {
      // Trigram indexes serve search (migration 0012); the extension ships with PGlite.
      extensions: { pg_trgm },
      postgresqlconf: pgliteSettings(opts.pgliteSharedBuffers ?? '32MB'),
    });
  // initdb's memory would stay mapped in this process for good (~450 MB after a first start):
  // a short-lived child creates the directory instead, so a first start is as small as a restart.
  if (fresh) await initdbInChild(dir);
  const client = await start();
  const db = drizzlePglite({ client, schema });
  await migratePglite(db, { migrationsFolder });
  return { db, kind: 'pglite', close: () => client.close() };
}

/**
 * The embedded database runs in this process: every buffer it keeps is the server's memory.
 * One connection, so no per-connection budgets to multiply; the defaults (128 MB of shared
 * buffers, 64 MB of maintenance memory) are sized for a database server of its own.
 */
export function pgliteSettings(sharedBuffers: string): string[] {
  return [
    `shared_buffers = '${sharedBuffers}'`,
    "maintenance_work_mem = '16MB'",
    "work_mem = '4MB'",
    "temp_buffers = '1MB'",
    "wal_buffers = '1MB'",
  ];
}

async function initdbInChild(dir: string): Promise<void> {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'pglite-initdb.mjs');
  await promisify(execFile)(process.execPath, [script, dir], { timeout: 120_000 });
}
