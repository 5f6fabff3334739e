import { desc, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import type { UnitOfWork } from '../db/unit-of-work';
import { clvFits, type ClvFitRow } from '../db/schema';
import { queryRows } from '../db/rows';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { Principal } from '../auth/auth.service';
import type { JobQueue } from '../jobs/job-queue';
import type { JobHandler } from '../jobs/worker';
import { audit } from '../audit/audit';
import { AppError, forbidden } from '../errors';
import { ClvFitError, fitClv, scoreCustomer } from '../clv/model';
import { dayNumber, dayString, summarize, type OrderRow } from '../clv/summary';
import type { CrmSettingsStore } from './crm-settings';
import { TIERS, rfmScores, segmentOf, tierOf } from './rfm';

export const CLV_REFIT_JOB = 'clv.refit';
const CHUNK = 2000;

export interface ClvFitDto {
  id: string;
  model: 'bg-nbd+gamma-gamma';
  asOf: string;
  timeUnitDays: number;
  horizonDays: number;
  customers: number;
  repeatCustomers: number;
  params: { r: number; alpha: number; a: number; b: number; p: number; q: number; gamma: number };
  logLikelihood: { bgNbd: number; gammaGamma: number };
  fittedAt: string;
}

function toDto(row: ClvFitRow): ClvFitDto {
  return {
    id: row.id,
    model: 'bg-nbd+gamma-gamma',
    asOf: row.asOf,
    timeUnitDays: row.timeUnitDays,
    horizonDays: row.horizonDays,
    customers: row.customers,
    repeatCustomers: row.repeatCustomers,
    params: row.params,
    logLikelihood: { bgNbd: row.bgNbdLogLikelihood, gammaGamma: row.gammaGammaLogLikelihood },
    fittedAt: row.fittedAt.toISOString(),
  };
}

/**
 * Fits the customer-value models on every order up to `asOf` and stores, per contact with a
 * purchase: historic value, P(alive), expected purchases and predicted value over the horizon,
 * RFM scores and segment; the value tier goes to `contacts.tier` (unless someone set a tier of
 * their own there). A fit on too few customers is refused and the last good fit stays.
 */
export class ClvService {
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly db: Executor,
    private readonly uow: UnitOfWork,
    private readonly settings: CrmSettingsStore,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async latest(): Promise<ClvFitDto | null> {
    const [row] = await this.db.select().from(clvFits).orderBy(desc(clvFits.fittedAt)).limit(1);
    return row ? toDto(row) : null;
  }

  async fitOnDemand(principal: Principal, asOf: string | undefined): Promise<ClvFitDto> {
    if (principal.role === 'agent') throw forbidden('only supervisors and admins fit the model');
    // One fit at a time per instance: a second request waits for the first rather than racing it.
    while (this.running) await this.running.catch(() => undefined);
    const run = this.fit(asOf ?? dayString(Math.floor(this.clock.now().getTime() / 86_400_000)), {
      type: 'user',
      id: principal.id,
    });
    this.running = run;
    try {
      return await run;
    } catch (err) {
      if (err instanceof ClvFitError) throw new AppError(422, err.code, err.message);
      throw err;
    } finally {
      this.running = undefined;
    }
  }

  async fit(
    asOf: string,
    actor: { type: 'user'; id: string } | { type: 'system' },
  ): Promise<ClvFitDto> {
    const end = dayNumber(asOf);
    const settings = await this.settings.get();
    const until = new Date((end + 1) * 86_400_000);
    const rows = await queryRows<{ contact_id: string; amount: number; ordered_at: string | Date }>(
      this.db,
      sql`select o.contact_id, o.amount::float8 as amount, o.ordered_at
            from orders o join contacts c on c.id = o.contact_id
           where o.ordered_at < ${until.toISOString()}::timestamptz and c.merged_into_id is null`,
    );
    const orders: OrderRow[] = rows.map((r) => ({
      contactId: r.contact_id,
      amount: Number(r.amount),
      orderedAt: new Date(r.ordered_at),
    }));
    const summaries = summarize(orders, asOf).filter((s) => s.firstPurchase !== null);
    const fit = fitClv(summaries);
    const scored = summaries.map((s) => ({ s, v: scoreCustomer(fit, s, settings.horizonDays) }));
    const rfm = rfmScores(
      summaries.map((s) => ({
        daysSinceLast: end - dayNumber(s.lastPurchase!),
        purchases: s.frequency + 1,
        value: s.historicValue,
      })),
    );
    const fittedAt = this.clock.now();
    return this.uow.run(async (tx) => {
      const [row] = await tx
        .insert(clvFits)
        .values({
          asOf,
          timeUnitDays: fit.timeUnitDays,
          horizonDays: settings.horizonDays,
          customers: fit.bgNbd.customers,
          repeatCustomers: fit.gammaGamma.customers,
          params: { ...fit.bgNbd.params, ...fit.gammaGamma.params },
          bgNbdLogLikelihood: fit.bgNbd.logLikelihood,
          gammaGammaLogLikelihood: fit.gammaGamma.logLikelihood,
          fittedAt,
        })
        .returning();
      await tx.execute(sql`delete from contact_values`);
      const values = scored.map(({ s, v }, k) => {
        const score = rfm[k]!;
        return {
          contact_id: s.contactId,
          frequency: s.frequency,
          recency_days: s.recency,
          age_days: s.T,
          days_since_last: end - dayNumber(s.lastPurchase!),
          monetary: s.monetary,
          historic_value: s.historicValue.toFixed(2),
          probability_alive: v.probabilityAlive,
          expected_purchases: v.expectedPurchases,
          predicted_value: v.predictedValue.toFixed(2),
          rfm: `${score.r}${score.f}${score.m}`,
          segment: segmentOf(score, s.frequency + 1),
          tier: tierOf(v.predictedValue, settings.tiers),
        };
      });
      for (let i = 0; i < values.length; i += CHUNK) {
        const part = JSON.stringify(values.slice(i, i + CHUNK));
        await tx.execute(sql`
          insert into contact_values (contact_id, fit_id, as_of, frequency, recency_days, age_days,
              days_since_last, monetary, historic_value, probability_alive, expected_purchases,
              horizon_days, predicted_value, rfm, segment, fitted_at)
          select contact_id, ${row!.id}::uuid, ${asOf}::date, frequency, recency_days, age_days,
                 days_since_last, monetary, historic_value, probability_alive, expected_purchases,
                 ${settings.horizonDays}, predicted_value, rfm, segment, ${fittedAt.toISOString()}::timestamptz
            from jsonb_to_recordset(${part}::jsonb) as x(contact_id uuid, frequency int,
                 recency_days int, age_days int, days_since_last int, monetary float8,
                 historic_value numeric, probability_alive float8, expected_purchases float8,
                 predicted_value numeric, rfm text, segment text)`);
        // Value tiers: only where the tier is empty or one of ours (a hand-set tier stays).
        await tx.execute(sql`
          update contacts c set tier = x.tier
            from jsonb_to_recordset(${part}::jsonb) as x(contact_id uuid, tier text)
           where c.id = x.contact_id
             and (c.tier is null or c.tier in (${sql.join(
               TIERS.map((t) => sql`${t}`),
               sql`, `,
             )}))
             and c.tier is distinct from x.tier`);
      }
      await audit(tx, actor, 'clv_fit', row!.id, 'fit', {
        asOf,
        customers: fit.bgNbd.customers,
        repeatCustomers: fit.gammaGamma.customers,
      });
      return toDto(row!);
    });
  }

  /** Re-tiers every contact with a prediction after the thresholds changed. */
  async retier(tx: Executor, thresholds: { gold: number; silver: number }): Promise<void> {
    await tx.execute(sql`
      update contacts c set tier = case
          when v.predicted_value >= ${thresholds.gold} then 'gold'
          when v.predicted_value >= ${thresholds.silver} then 'silver' else 'bronze' end
        from contact_values v
       where v.contact_id = c.id
         and (c.tier is null or c.tier in ('gold', 'silver', 'bronze'))`);
  }

  /** The nightly refit: 02:00 UTC; it schedules the next one in the same transaction. */
  nightlyHandler(): JobHandler {
    return async (ctx) => {
      const now = this.clock.now();
      const asOf = dayString(Math.floor(now.getTime() / 86_400_000) - 1);
      try {
        const fit = await this.fit(asOf, { type: 'system' });
        this.logger.info({ asOf, customers: fit.customers }, 'nightly CLV refit');
      } catch (err) {
        if (!(err instanceof ClvFitError)) throw err;
        this.logger.warn(
          { asOf, reason: err.message },
          'nightly CLV refit refused; the last fit stays',
        );
      }
      await this.uow.run(async (tx) => {
        await ctx.complete(tx);
        await this.schedule(tx);
      });
    };
  }

  async schedule(tx: Executor = this.db): Promise<void> {
    const now = this.clock.now();
    const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 2));
    if (next <= now) next.setUTCDate(next.getUTCDate() + 1);
    await this.jobs.enqueue(tx, { kind: CLV_REFIT_JOB, key: 'nightly', payload: {}, runAt: next });
  }
}
