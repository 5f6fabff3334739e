import { asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import type { UnitOfWork } from '../db/unit-of-work';
import {
  businessHours,
  slaPolicies,
  type SlaAppliesTo,
  type SlaPolicyRow,
  type SlaTargets,
} from '../db/schema';
import type { AccessService } from '../auth/access.service';
import type { Principal } from '../auth/auth.service';
import type { JobQueue } from '../jobs/job-queue';
import { audit } from '../audit/audit';
import { badRequest, notFound } from '../errors';
import { SLA_RESYNC_JOB, type SlaService } from './sla.service';

export interface SlaPolicyDto {
  id: string;
  name: string;
  businessHoursId: string | null;
  firstResponseMinutes: number | null;
  nextResponseMinutes: number | null;
  resolutionMinutes: number | null;
  appliesTo: SlaAppliesTo;
  levelTargets: Record<string, SlaTargets>;
  warningPercent: number;
  position: number;
  enabled: boolean;
  createdAt: string;
}

export interface SlaPolicyInput {
  name?: string | undefined;
  businessHoursId?: string | null | undefined;
  firstResponseMinutes?: number | null | undefined;
  nextResponseMinutes?: number | null | undefined;
  resolutionMinutes?: number | null | undefined;
  appliesTo?: SlaAppliesTo | undefined;
  levelTargets?: Record<string, SlaTargets> | undefined;
  warningPercent?: number | undefined;
  position?: number | undefined;
  enabled?: boolean | undefined;
}

const toDto = (r: SlaPolicyRow): SlaPolicyDto => ({
  id: r.id,
  name: r.name,
  businessHoursId: r.businessHoursId,
  firstResponseMinutes: r.firstResponseMinutes,
  nextResponseMinutes: r.nextResponseMinutes,
  resolutionMinutes: r.resolutionMinutes,
  appliesTo: r.appliesTo,
  levelTargets: r.levelTargets,
  warningPercent: r.warningPercent,
  position: r.position,
  enabled: r.enabled,
  createdAt: r.createdAt.toISOString(),
});

/**
 * SLA policies (CONTRACT): admins keep them; the first enabled policy (by position) whose
 * `appliesTo` matches a conversation is its policy. A change re-times every open conversation
 * by a job, in batches, so a policy edit does not stall the request.
 */
export class SlaPolicyService {
  constructor(
    private readonly db: Db,
    private readonly uow: UnitOfWork,
    private readonly jobs: JobQueue,
    private readonly sla: SlaService,
    private readonly access: AccessService,
  ) {}

  async list(): Promise<SlaPolicyDto[]> {
    const rows = await this.db
      .select()
      .from(slaPolicies)
      .orderBy(asc(slaPolicies.position), asc(slaPolicies.createdAt));
    return rows.map(toDto);
  }

  async get(id: string): Promise<SlaPolicyDto> {
    const [row] = await this.db.select().from(slaPolicies).where(eq(slaPolicies.id, id));
    if (!row) throw notFound('SLA policy');
    return toDto(row);
  }

  async save(
    principal: Principal,
    id: string | null,
    input: SlaPolicyInput,
  ): Promise<SlaPolicyDto> {
    this.access.requireAdmin(principal);
    const saved = await this.uow.run(async (tx, emit) => {
      if (input.businessHoursId) {
        const [bh] = await tx
          .select({ id: businessHours.id })
          .from(businessHours)
          .where(eq(businessHours.id, input.businessHoursId));
        if (!bh) throw badRequest('businessHoursId: no such business hours');
      }
      const values = {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.businessHoursId !== undefined ? { businessHoursId: input.businessHoursId } : {}),
        ...(input.firstResponseMinutes !== undefined
          ? { firstResponseMinutes: input.firstResponseMinutes }
          : {}),
        ...(input.nextResponseMinutes !== undefined
          ? { nextResponseMinutes: input.nextResponseMinutes }
          : {}),
        ...(input.resolutionMinutes !== undefined
          ? { resolutionMinutes: input.resolutionMinutes }
          : {}),
        ...(input.appliesTo !== undefined ? { appliesTo: input.appliesTo } : {}),
        ...(input.levelTargets !== undefined ? { levelTargets: input.levelTargets } : {}),
        ...(input.warningPercent !== undefined ? { warningPercent: input.warningPercent } : {}),
        ...(input.position !== undefined ? { position: input.position } : {}),
        ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
      };
      let row: SlaPolicyRow | undefined;
      if (id) {
        [row] = Object.keys(values).length
          ? await tx.update(slaPolicies).set(values).where(eq(slaPolicies.id, id)).returning()
          : await tx.select().from(slaPolicies).where(eq(slaPolicies.id, id));
        if (!row) throw notFound('SLA policy');
      } else {
        if (!input.name) throw badRequest('name is required');
        [row] = await tx
          .insert(slaPolicies)
          .values({ name: input.name, ...values })
          .returning();
      }
      const targets = [row!.firstResponseMinutes, row!.nextResponseMinutes, row!.resolutionMinutes];
      if (targets.every((t) => t === null) && !Object.keys(row!.levelTargets).length)
        throw badRequest('a policy needs at least one target (minutes)');
      await audit(
        tx,
        { type: 'user', id: principal.id },
        'sla_policy',
        row!.id,
        id ? 'update' : 'create',
        {
          policy: toDto(row!),
        },
      );
      await this.jobs.enqueue(tx, { kind: SLA_RESYNC_JOB, key: 'all', payload: {}, replace: true });
      emit('jobs.enqueued', {});
      return row!;
    });
    this.sla.forgetPolicies();
    return toDto(saved);
  }

  async remove(principal: Principal, id: string): Promise<void> {
    this.access.requireAdmin(principal);
    await this.uow.run(async (tx, emit) => {
      const gone = await tx
        .delete(slaPolicies)
        .where(eq(slaPolicies.id, id))
        .returning({ id: slaPolicies.id });
      if (!gone.length) throw notFound('SLA policy');
      await audit(tx, { type: 'user', id: principal.id }, 'sla_policy', id, 'delete');
      await this.jobs.enqueue(tx, { kind: SLA_RESYNC_JOB, key: 'all', payload: {}, replace: true });
      emit('jobs.enqueued', {});
    });
    this.sla.forgetPolicies();
  }
}
