import type { TurnContext } from 'botbuilder-core';
import type { BotLanguage } from '../db/schema';
import type { BotTexts } from './texts';

export interface OrderFacts {
  externalId: string;
  amount: string;
  currency: string;
  orderedAt: Date;
}

export interface ComplaintFields {
  category: string;
  categoryName: string;
  description: string;
  order: string | null;
  desiredOutcome: string;
}

export interface OpeningHours {
  /** Whether people are at work now. */
  openNow: boolean;
  /** When they are next, if not now (null: never, or unknown). */
  opensAt: Date | null;
  timeZone: string;
}

export type HandoverReason = 'asked' | 'legal' | 'anger' | 'misunderstood' | 'complaint';

/**
 * What a turn of the bot may look up or change, given to the dialogs through the turn state.
 * The server's ports work inside the turn's transaction; tests give their own.
 */
export interface BotPorts {
  texts(language: BotLanguage): Promise<BotTexts>;
  answer(language: BotLanguage, question: string): Promise<string | null>;
  /** An order of this customer by its number, or null when they have none with it. */
  findOrder(orderNumber: string): Promise<OrderFacts | null>;
  categories(language: BotLanguage): Promise<{ key: string; name: string }[]>;
  /** Keeps the language on the customer's profile. */
  rememberLanguage(language: BotLanguage): Promise<void>;
  /** A level-1 complaint, and when a person is due to answer it (null: no SLA says). */
  openComplaint(fields: ComplaintFields): Promise<{ reference: string; dueAt: Date | null }>;
  hours(): Promise<OpeningHours>;
  /** Hands the conversation to people (after the turn's messages), with what was collected. */
  handover(reason: HandoverReason, fields?: ComplaintFields): Promise<void>;
}

const PORTS = Symbol('switchboard.botPorts');

export function setPorts(context: TurnContext, ports: BotPorts): void {
  context.turnState.set(PORTS, ports);
}

export function portsOf(context: TurnContext): BotPorts {
  const ports = context.turnState.get(PORTS) as BotPorts | undefined;
  if (!ports) throw new Error('bot turn without ports');
  return ports;
}
