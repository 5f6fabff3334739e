import { asc, eq } from 'drizzle-orm';
import type { Db, Executor } from '../db/client';
import { businessHours } from '../db/schema';
import type { AccessService } from '../auth/access.service';
import type { Principal } from '../auth/auth.service';
import { audit } from '../audit/audit';
import { badRequest, conflict, notFound } from '../errors';
import {
  ALWAYS,
  NeverOpenError,
  addBusinessSeconds,
  calendarProblems,
  type Calendar,
  type WeeklyRange,
} from './calendar';

export interface BusinessHoursDto {
  id: string;
  name: string;
  timeZone: string;
  weekly: WeeklyRange[];
  holidays: string[];
  createdAt: string;
}

export interface BusinessHoursInput {
  name: string;
  timeZone: string;
  weekly: WeeklyRange[];
  holidays: string[];
}

type Row = typeof businessHours.$inferSelect;

const CACHE_MS = 10_000;

const toDto = (r: Row): BusinessHoursDto => ({
  id: r.id,
  name: r.name,
  timeZone: r.timezone,
  weekly: r.weekly,
  holidays: r.holidays,
  createdAt: r.createdAt.toISOString(),
});

/** Business-hours calendars (CONTRACT): admins keep them; SLA clocks and the IVR read them. */
export class BusinessHoursService {
  /** Calendars read recently; another instance's edit is seen within CACHE_MS. */
  private readonly cache = new Map<string, { at: number; calendar: Calendar }>();

  constructor(
    private readonly db: Db,
    private readonly access: AccessService,
    /** Inside the change's transaction: what depends on the hours is re-timed (SLA clocks). */
    private readonly onChanged: (tx: Executor) => Promise<void> = async () => undefined,
  ) {}

  async list(): Promise<BusinessHoursDto[]> {
    return (await this.db.select().from(businessHours).orderBy(asc(businessHours.name))).map(toDto);
  }

  async get(id: string): Promise<BusinessHoursDto> {
    const [row] = await this.db.select().from(businessHours).where(eq(businessHours.id, id));
    if (!row) throw notFound('business hours');
    return toDto(row);
  }

  async save(
    principal: Principal,
    id: string | null,
    input: BusinessHoursInput,
  ): Promise<BusinessHoursDto> {
    this.access.requireAdmin(principal);
    const holidays = [...new Set(input.holidays)].sort();
    const problems = calendarProblems({ ...input, holidays });
    if (problems.length) throw badRequest(problems.join('; '));
    const values = { name: input.name, timezone: input.timeZone, weekly: input.weekly, holidays };
    const row = await this.db.transaction(async (tx) => {
      const [saved] = id
        ? await tx.update(businessHours).set(values).where(eq(businessHours.id, id)).returning()
        : await tx.insert(businessHours).values(values).returning();
      if (!saved) throw notFound('business hours');
      await audit(
        tx,
        { type: 'user', id: principal.id },
        'business_hours',
        saved.id,
        id ? 'update' : 'create',
        {
          name: saved.name,
          timeZone: saved.timezone,
        },
      );
      await this.onChanged(tx);
      return saved;
    });
    this.cache.delete(row.id);
    return toDto(row);
  }

  async remove(principal: Principal, id: string): Promise<void> {
    this.access.requireAdmin(principal);
    await this.db.transaction(async (tx) => {
      const rows = await tx.delete(businessHours).where(eq(businessHours.id, id)).returning();
      if (!rows.length) throw notFound('business hours');
      await audit(tx, { type: 'user', id: principal.id }, 'business_hours', id, 'delete');
      await this.onChanged(tx);
    });
    this.cache.delete(id);
  }

  /** The calendar of a business-hours id; always open for none (or one deleted meanwhile). */
  async calendar(id: string | null | undefined): Promise<Calendar> {
    if (!id) return ALWAYS;
    const cached = this.cache.get(id);
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.calendar;
    const [row] = await this.db.select().from(businessHours).where(eq(businessHours.id, id));
    if (!row) return ALWAYS;
    const calendar = { timeZone: row.timezone, weekly: row.weekly, holidays: row.holidays };
    this.cache.set(id, { at: Date.now(), calendar });
    return calendar;
  }

  /** CONTRACT: when `minutes` of open time after `from` have passed. */
  async due(id: string, from: Date, minutes: number): Promise<{ dueAt: string }> {
    await this.get(id);
    try {
      return {
        dueAt: addBusinessSeconds(await this.calendar(id), from, minutes * 60).toISOString(),
      };
    } catch (err) {
      if (err instanceof NeverOpenError) throw conflict(err.message);
      throw err;
    }
  }
}
