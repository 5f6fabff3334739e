import type { Db } from '../db/client';
import { FunctionBatcher } from '../db/function-batcher';

/** The argument of ingest_message() (migrations 0002, 0003): one inbound message, as JSON. */
export interface IngestCall {
  inbox: string;
  channel: string;
  kind: string;
  value: string;
  [field: string]: unknown;
}

export type IngestOutcome =
  | { outcome: 'duplicate'; message_id?: string }
  | {
      /** A later part of a message delivered in parts was added to it. */
      outcome: 'appended';
      message: Record<string, unknown>;
      attachments: Record<string, unknown>[];
    }
  | {
      outcome: 'stored';
      message: Record<string, unknown>;
      conversation: Record<string, unknown>;
      contact: { id: string; name: string };
      attachments: Record<string, unknown>[];
      first_message: boolean;
      contact_created: boolean;
      assignee_name: string | null;
      team_name: string | null;
      /** Only when the conversation is the bot's and the message the customer's own. */
      bot?: IngestBotContext;
    };

/** What ingest returns besides, when the conversation is the bot's (migration 0019). */
export interface IngestBotContext {
  /** The key of the turn's job: whoever deletes it takes the turn. */
  job_key: string;
  /** The conversation's dialog state in `bot_state`. */
  state_key: string;
  /** Whether the inbox's bot is still on. */
  enabled: boolean;
  business_hours_id: string | null;
  name: string;
  language: string | null;
  tier: string | null;
  identities: { kind: string; value: string }[];
  /** The identity replies go to, with whether it can be reached. */
  recipient: { kind: string; value: string; state: string } | null;
  state: { doc: Record<string, unknown>; etag: number } | null;
}

/**
 * Group commit of `ingest_message()` for every channel; calls run in the order of their
 * identity, so two batches lock contacts in the same order.
 */
export class IngestBatcher extends FunctionBatcher<IngestCall, IngestOutcome> {
  constructor(db: Db) {
    super(db, { fn: 'ingest_message', orderKey: (call) => `${call.kind}\u0000${call.value}` });
  }
}
