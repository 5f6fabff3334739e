import { desc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import type { UnitOfWork } from '../db/unit-of-work';
import { orderImports, type OrderImportStatus } from '../db/schema';
import type { Principal } from '../auth/auth.service';
import { AppError, notFound } from '../errors';
import type { JobQueue } from '../jobs/job-queue';
import { LeaseLostError, type JobHandler } from '../jobs/worker';
import { CsvError, readCsv, resolveMapping, type ColumnMapping } from './csv';
import { proposeMapping, type MappingField } from './import-mapping';
import type { OrderRowError } from './order-input';
import { MAX_CSV_ROWS, type OrderImportResult, type OrderService } from './order.service';
import type { OrderImportRunner } from './order-import.runner';

export const ORDER_IMPORT_JOB = 'orders.import';

type Row = typeof orderImports.$inferSelect;

export interface OrderImportDto {
  id: string;
  fileName: string;
  status: OrderImportStatus;
  dryRun: boolean;
  bytes: number;
  header: string[];
  mapping: Record<string, string> | null;
  proposedMapping: Partial<Record<MappingField, string>>;
  totalRows: number;
  rowsDone: number;
  errorCount: number;
  errors?: Row['errors'];
  created: number | null;
  updated: number | null;
  unchanged: number | null;
  contactsCreated: number | null;
  failure: string | null;
  createdBy: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

function toDto(r: Row, withErrors: boolean): OrderImportDto {
  return {
    id: r.id,
    fileName: r.fileName,
    status: r.status,
    dryRun: r.dryRun,
    bytes: r.bytes,
    header: r.header,
    mapping: r.mapping,
    proposedMapping: proposeMapping(r.header),
    totalRows: r.totalRows,
    rowsDone: r.rowsDone,
    errorCount: r.errorCount,
    ...(withErrors ? { errors: r.errors } : {}),
    created: r.created,
    updated: r.updated,
    unchanged: r.unchanged,
    contactsCreated: r.contactsCreated,
    failure: r.failure,
    createdBy: r.createdBy,
    createdAt: r.createdAt.toISOString(),
    startedAt: r.startedAt?.toISOString() ?? null,
    finishedAt: r.finishedAt?.toISOString() ?? null,
  };
}

/**
 * CSV order imports as stored uploads processed by a background job (see the runner): upload,
 * choose the mapping, dry-run, import; progress and per-row errors are read back by id. The
 * synchronous `POST /orders/import` runs the same steps inline.
 */
export class OrderImportService {
  constructor(
    private readonly db: Executor,
    private readonly uow: UnitOfWork,
    private readonly orders: OrderService,
    private readonly jobs: JobQueue,
    private readonly runner: OrderImportRunner,
  ) {}

  /** Stores a file after reading it once (a broken CSV is refused now, with its line). */
  async upload(principal: Principal, text: string, fileName: string): Promise<OrderImportDto> {
    this.orders.requireManager(principal);
    let header: string[] | undefined;
    let rows = 0;
    try {
      for (const row of readCsv(text)) {
        if (!header) header = row.map((h) => h.trim());
        else if (++rows > MAX_CSV_ROWS)
          throw new CsvError(`a file may hold at most ${MAX_CSV_ROWS} orders`);
      }
    } catch (err) {
      if (err instanceof CsvError) throw new AppError(400, 'invalid_csv', err.message);
      throw err;
    }
    if (!header) throw new AppError(400, 'invalid_csv', 'the file is empty');
    if (!rows) throw new AppError(400, 'invalid_csv', 'the file has a header but no orders');
    // Files nobody imported within a day are not kept (each may be 64 MB).
    await this.db
      .update(orderImports)
      .set({ status: 'failed', failure: 'expired', content: null, finishedAt: new Date() })
      .where(
        sql`${orderImports.status} in ('draft', 'checked')
            and ${orderImports.createdAt} < now() - interval '1 day'`,
      );
    const [row] = await this.db
      .insert(orderImports)
      .values({
        fileName: fileName.slice(0, 200),
        status: 'draft',
        content: text,
        bytes: Buffer.byteLength(text),
        header,
        totalRows: rows,
        createdBy: principal.id,
      })
      .returning();
    return toDto(row!, true);
  }

  /** Queues a dry run or the import of a draft (or of a file a dry run checked). */
  async start(
    principal: Principal,
    id: string,
    mapping: ColumnMapping,
    dryRun: boolean,
    inline = false,
  ): Promise<OrderImportDto> {
    this.orders.requireManager(principal);
    const current = await this.find(id);
    if (current.status !== 'draft' && current.status !== 'checked')
      throw new AppError(409, 'import_not_startable', `this import is ${current.status}`);
    try {
      resolveMapping(current.header, mapping);
    } catch (err) {
      if (err instanceof CsvError) throw new AppError(400, 'invalid_mapping', err.message);
      throw err;
    }
    const stored = Object.fromEntries(
      Object.entries(mapping).filter((e): e is [string, string] => typeof e[1] === 'string'),
    );
    const row = await this.uow.run(async (tx, emit) => {
      const [updated] = await tx
        .update(orderImports)
        .set({
          status: 'queued',
          mapping: stored,
          dryRun,
          rowsDone: 0,
          errorCount: 0,
          errors: [],
          created: null,
          updated: null,
          unchanged: null,
          contactsCreated: null,
          failure: null,
          startedAt: null,
          finishedAt: null,
        })
        // Two clicks at once: only one of them queues the job.
        .where(sql`${orderImports.id} = ${id} and ${orderImports.status} in ('draft', 'checked')`)
        .returning();
      if (!updated) throw new AppError(409, 'import_not_startable', 'this import already started');
      if (inline) return updated;
      await this.jobs.enqueue(tx, {
        kind: ORDER_IMPORT_JOB,
        key: id,
        payload: { importId: id },
        maxAttempts: 3,
      });
      emit('jobs.enqueued', {});
      return updated;
    });
    return toDto(row, true);
  }

  async get(principal: Principal, id: string): Promise<OrderImportDto> {
    this.orders.requireManager(principal);
    return toDto(await this.find(id), true);
  }

  async list(principal: Principal, limit = 50): Promise<OrderImportDto[]> {
    this.orders.requireManager(principal);
    const rows = await this.db
      .select()
      .from(orderImports)
      .orderBy(desc(orderImports.createdAt))
      .limit(limit);
    return rows.map((r) => toDto(r, false));
  }

  /**
   * The synchronous import (`POST /orders/import`): the same stored upload and runner, run in
   * this request; a bad row refuses the whole file (422 invalid_rows) unless it is a dry run.
   */
  async importNow(
    principal: Principal,
    text: string,
    mapping: ColumnMapping,
    dryRun: boolean,
  ): Promise<OrderImportResult & { rows: number; dryRun: boolean; importId: string }> {
    const draft = await this.upload(principal, text, '');
    await this.start(principal, draft.id, mapping, dryRun, true);
    await this.runner.run(draft.id);
    const done = await this.find(draft.id);
    const errors: OrderRowError[] = done.errors.map((e) => ({
      index: e.index,
      code: e.code,
      message: e.message,
    }));
    if (done.status === 'failed') {
      if (done.failure !== 'invalid_rows')
        throw new AppError(400, 'invalid_csv', done.failure ?? '');
      throw new AppError(
        422,
        'invalid_rows',
        `${done.errorCount} of ${done.totalRows} rows have errors (first: row ${errors[0]?.index}, ` +
          `${errors[0]?.message}); nothing was imported (see a dry run)`,
      );
    }
    return {
      importId: done.id,
      rows: done.totalRows,
      dryRun,
      created: done.created ?? 0,
      updated: done.updated ?? 0,
      unchanged: done.unchanged ?? 0,
      contactsCreated: done.contactsCreated ?? 0,
      errors,
    };
  }

  /** The job: runs the import; after its last attempt the import fails cleanly. */
  handler(): JobHandler {
    return async (ctx) => {
      const importId = String(ctx.job.payload.importId);
      try {
        await this.runner.run(importId, ctx.signal, (tx) => ctx.complete(tx));
      } catch (err) {
        if (ctx.signal.aborted || err instanceof LeaseLostError) throw err;
        if (ctx.job.attempts < ctx.job.maxAttempts) throw err;
        const message = err instanceof Error ? err.message : String(err);
        await this.runner.fail(importId, `error: ${message}`.slice(0, 500), [], 0, (tx) =>
          ctx.giveUp(tx, message),
        );
      }
    };
  }

  private async find(id: string): Promise<Row> {
    const [row] = await this.db.select().from(orderImports).where(eq(orderImports.id, id));
    if (!row) throw notFound('order import');
    return row;
  }
}
