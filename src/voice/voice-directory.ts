import { and, asc, eq, isNotNull, sql } from 'drizzle-orm';
import type { VoiceDirectory } from '../../channels/voice/definition';
import type { CallAgent, CallHistoryEntry } from '../../channels/voice/ivr';
import type { Db } from '../db/client';
import {
  businessHours,
  contactIdentities,
  contacts,
  conversations,
  inboxMembers,
  inboxes,
  messages,
  users,
} from '../db/schema';
import { calendarProblems, isOpen, nextOpening, type Calendar } from '../business-hours/calendar';

/**
 * What the phone menu looks up while a call is in progress, read from the database: the
 * caller's language, the inbox's business hours, the agents to ring, and the call so far.
 * On-duty agents are the inbox's active members with a phone number and `onDuty` set: a flag
 * in the database (not socket presence), so every instance answering a call agrees on it.
 */
export class DatabaseVoiceDirectory implements VoiceDirectory {
  constructor(private readonly db: Db) {}

  async languageOf(phone: string): Promise<string | null> {
    const [row] = await this.db
      .select({ language: contacts.language })
      .from(contactIdentities)
      .innerJoin(contacts, eq(contacts.id, contactIdentities.contactId))
      .where(and(eq(contactIdentities.kind, 'phone'), eq(contactIdentities.value, phone)))
      .limit(1);
    return row?.language ?? null;
  }

  async hours(
    inboxId: string,
    at: Date,
  ): Promise<{ open: boolean; opensAt: Date | null; timeZone: string }> {
    const [row] = await this.db
      .select({
        timezone: businessHours.timezone,
        weekly: businessHours.weekly,
        holidays: businessHours.holidays,
      })
      .from(inboxes)
      .innerJoin(businessHours, eq(businessHours.id, inboxes.businessHoursId))
      .where(eq(inboxes.id, inboxId));
    // No calendar (or one that cannot be read): always open, as before any was set.
    const hours: Calendar | undefined = row
      ? { timeZone: row.timezone, weekly: row.weekly, holidays: row.holidays }
      : undefined;
    if (!hours || calendarProblems(hours).length)
      return { open: true, opensAt: null, timeZone: 'UTC' };
    const open = isOpen(hours, at);
    return { open, opensAt: open ? at : nextOpening(hours, at), timeZone: hours.timeZone };
  }

  async onDutyAgents(inboxId: string): Promise<CallAgent[]> {
    const rows = await this.db
      .select({ id: users.id, name: users.name, phone: users.phone })
      .from(inboxMembers)
      .innerJoin(users, eq(users.id, inboxMembers.userId))
      .where(
        and(
          eq(inboxMembers.inboxId, inboxId),
          eq(users.active, true),
          eq(users.onDuty, true),
          isNotNull(users.phone),
        ),
      )
      .orderBy(asc(users.name));
    return rows.flatMap((r) => (r.phone ? [{ id: r.id, name: r.name, phone: r.phone }] : []));
  }

  async callHistory(inboxId: string, phone: string, callSid: string): Promise<CallHistoryEntry[]> {
    const rows = await this.db
      .select({ meta: messages.meta })
      .from(contactIdentities)
      .innerJoin(
        conversations,
        and(
          eq(conversations.contactId, contactIdentities.contactId),
          eq(conversations.inboxId, inboxId),
        ),
      )
      .innerJoin(messages, eq(messages.conversationId, conversations.id))
      .where(
        and(
          eq(contactIdentities.kind, 'phone'),
          eq(contactIdentities.value, phone),
          sql`${messages.meta}->>'callSid' = ${callSid}`,
        ),
      );
    return rows.flatMap(({ meta }) =>
      typeof meta['call'] === 'string'
        ? [
            {
              event: meta['call'],
              ...(typeof meta['agentName'] === 'string' ? { agentName: meta['agentName'] } : {}),
            },
          ]
        : [],
    );
  }
}
