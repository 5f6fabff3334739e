import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { UnitOfWork } from '../db/unit-of-work';
import {
  complaints,
  contactIdentities,
  contactMerges,
  contactValues,
  contacts,
  conversations,
  orders,
  type MergeMoved,
} from '../db/schema';
import type { Principal } from '../auth/auth.service';
import type { AccessService } from '../auth/access.service';
import type { ContactRepository } from '../contacts/contact.repository';
import type { ContactDto } from '../conversations/dto';
import type { Clock } from '../clock';
import { audit } from '../audit/audit';
import { AppError, notFound } from '../errors';
import { refreshLifetimeValues } from './order.service';

export const UNDO_WINDOW_MS = 24 * 3600_000;

export interface MergeDto {
  id: string;
  targetId: string;
  sourceId: string;
  moved: { identities: number; conversations: number; orders: number; complaints: number };
  createdAt: string;
  undoneAt: string | null;
  undoableUntil: string;
}

/**
 * One memory of the customer: merging moves the other contact's identities, conversations (with
 * their complaints), orders, attributes (those the target lacks) and notes to the target. The
 * other profile stays, marked `merged_into_id`, so both histories remain; what moved is kept
 * so the merge can be undone within a day.
 */
export class MergeService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly repo: ContactRepository,
    private readonly access: AccessService,
    private readonly clock: Clock,
  ) {}

  async merge(principal: Principal, targetId: string, sourceId: string): Promise<ContactDto> {
    if (targetId === sourceId)
      throw new AppError(400, 'validation_failed', 'a contact cannot be merged into itself');
    return this.uow.run(async (tx, emit) => {
      for (const id of [targetId, sourceId])
        if (!(await this.access.canSeeContact(principal, id, tx))) throw notFound('contact');
      // Locked in id order so two opposite merges cannot deadlock.
      const [first, second] = [targetId, sourceId].sort();
      const a = await this.repo.lock(tx, first!);
      const b = await this.repo.lock(tx, second!);
      const target = a?.id === targetId ? a : b;
      const source = a?.id === sourceId ? a : b;
      if (!target || !source) throw notFound('contact');
      if (target.mergedIntoId || source.mergedIntoId)
        throw new AppError(409, 'already_merged', 'one of these contacts was merged already');
      const ids = async (q: Promise<{ id: string }[]>) => (await q).map((r) => r.id);
      const movedIdentities = await ids(
        tx
          .update(contactIdentities)
          .set({ contactId: targetId })
          .where(eq(contactIdentities.contactId, sourceId))
          .returning({ id: contactIdentities.id }),
      );
      const movedConversations = await ids(
        tx
          .update(conversations)
          .set({ contactId: targetId })
          .where(eq(conversations.contactId, sourceId))
          .returning({ id: conversations.id }),
      );
      const movedComplaints = await ids(
        tx
          .update(complaints)
          .set({ contactId: targetId })
          .where(eq(complaints.contactId, sourceId))
          .returning({ id: complaints.id }),
      );
      const movedOrders = await ids(
        tx
          .update(orders)
          .set({ contactId: targetId })
          .where(eq(orders.contactId, sourceId))
          .returning({ id: orders.id }),
      );
      const added = Object.fromEntries(
        Object.entries(source.customAttributes).filter(([k]) => !(k in target.customAttributes)),
      );
      const notes = [target.notes, source.notes].filter((n) => n.trim()).join('\n\n');
      const moved: MergeMoved = {
        identities: movedIdentities,
        conversations: movedConversations,
        orders: movedOrders,
        complaints: movedComplaints,
        attributes: added,
        notes: source.notes,
        target: {
          customAttributes: target.customAttributes,
          notes: target.notes,
          lifetimeValue: target.lifetimeValue,
        },
      };
      await this.repo.update(tx, targetId, {
        customAttributes: { ...target.customAttributes, ...added },
        notes,
        searchText: await this.repo.searchTextFor(tx, targetId, target.name),
      });
      await this.repo.update(tx, sourceId, { mergedIntoId: targetId });
      // The prediction belonged to half a customer; the next fit makes a whole one.
      await tx.delete(contactValues).where(inArray(contactValues.contactId, [targetId, sourceId]));
      await refreshLifetimeValues(tx, [targetId, sourceId]);
      const [merge] = await tx
        .insert(contactMerges)
        .values({ targetId, sourceId, moved, createdBy: principal.id, createdAt: this.clock.now() })
        .returning({ id: contactMerges.id });
      const summary = {
        mergeId: merge!.id,
        sourceId,
        identities: movedIdentities.length,
        conversations: movedConversations.length,
        orders: movedOrders.length,
        complaints: movedComplaints.length,
      };
      await audit(tx, { type: 'user', id: principal.id }, 'contact', targetId, 'merge', summary);
      await audit(tx, { type: 'user', id: principal.id }, 'contact', sourceId, 'merged-into', {
        mergeId: merge!.id,
        targetId,
      });
      const dto = (await this.repo.dto(targetId, tx))!;
      emit('contact.updated', { contact: dto });
      return dto;
    });
  }

  async list(principal: Principal, contactId: string): Promise<MergeDto[]> {
    return this.uow.run(async (tx) => {
      if (!(await this.access.canSeeContact(principal, contactId, tx))) throw notFound('contact');
      const rows = await tx
        .select()
        .from(contactMerges)
        .where(eq(contactMerges.targetId, contactId))
        .orderBy(desc(contactMerges.createdAt))
        .limit(50);
      return rows.map((r) => ({
        id: r.id,
        targetId: r.targetId,
        sourceId: r.sourceId,
        moved: {
          identities: r.moved.identities.length,
          conversations: r.moved.conversations.length,
          orders: r.moved.orders.length,
          complaints: r.moved.complaints.length,
        },
        createdAt: r.createdAt.toISOString(),
        undoneAt: r.undoneAt?.toISOString() ?? null,
        undoableUntil: new Date(r.createdAt.getTime() + UNDO_WINDOW_MS).toISOString(),
      }));
    });
  }

  /** Puts back what the merge moved (what is still on the target), within a day. */
  async undo(principal: Principal, contactId: string, mergeId: string): Promise<ContactDto> {
    return this.uow.run(async (tx, emit) => {
      if (!(await this.access.canSeeContact(principal, contactId, tx))) throw notFound('contact');
      const [merge] = await tx
        .select()
        .from(contactMerges)
        .where(
          and(
            eq(contactMerges.id, mergeId),
            eq(contactMerges.targetId, contactId),
            isNull(contactMerges.undoneAt),
          ),
        )
        .for('update');
      if (!merge) throw notFound('merge');
      if (this.clock.now().getTime() - merge.createdAt.getTime() > UNDO_WINDOW_MS)
        throw new AppError(409, 'undo_expired', 'a merge can be undone within a day only');
      const { sourceId, targetId, moved } = merge;
      const back = async (
        table: typeof contactIdentities | typeof conversations | typeof orders | typeof complaints,
        list: string[],
      ) => {
        for (let i = 0; i < list.length; i += 1000)
          await tx
            .update(table)
            .set({ contactId: sourceId })
            .where(and(inArray(table.id, list.slice(i, i + 1000)), eq(table.contactId, targetId)));
      };
      await back(contactIdentities, moved.identities);
      await back(conversations, moved.conversations);
      await back(complaints, moved.complaints);
      await back(orders, moved.orders);
      const target = (await this.repo.lock(tx, targetId))!;
      const attributes = { ...target.customAttributes };
      for (const key of Object.keys(moved.attributes)) {
        if (!(key in moved.target.customAttributes)) delete attributes[key];
      }
      await this.repo.update(tx, targetId, {
        customAttributes: attributes,
        notes: moved.target.notes,
        searchText: await this.repo.searchTextFor(tx, targetId, target.name),
      });
      await tx
        .update(contacts)
        .set({ mergedIntoId: null, updatedAt: new Date() })
        .where(eq(contacts.id, sourceId));
      await tx.delete(contactValues).where(inArray(contactValues.contactId, [targetId, sourceId]));
      await refreshLifetimeValues(tx, [targetId, sourceId]);
      await tx
        .update(contactMerges)
        .set({ undoneAt: this.clock.now() })
        .where(eq(contactMerges.id, mergeId));
      await audit(tx, { type: 'user', id: principal.id }, 'contact', targetId, 'merge-undone', {
        mergeId,
        sourceId,
      });
      const dto = (await this.repo.dto(targetId, tx))!;
      emit('contact.updated', { contact: dto });
      const sourceDto = await this.repo.dto(sourceId, tx);
      if (sourceDto) emit('contact.updated', { contact: sourceDto });
      return dto;
    });
  }
}
