import { ConversationState } from 'botbuilder-core';
import type { Db } from '../db/client';
import type { BotLanguage } from '../db/schema';
import type { Principal } from '../auth/auth.service';
import type { AccessService } from '../auth/access.service';
import type { ComplaintService } from '../complaints/complaint.service';
import { ALWAYS, isOpen, nextOpening } from '../business-hours/calendar';
import type { Clock } from '../clock';
import { SwitchboardAdapter, type BotReply } from './adapter';
import { SwitchboardBot } from './bot';
import type { BotContentService } from './bot-content.service';
import { DbStorage } from './db-storage';
import { setPorts, type ComplaintFields, type HandoverReason } from './ports';

export interface TryInput {
  text: string;
  language?: BotLanguage | undefined;
  /** Forget this admin's trial conversation and start again. */
  reset?: boolean | undefined;
}

export interface TryResult {
  replies: BotReply[];
  /** Set when the bot would have handed the conversation to people now. */
  handover: { reason: HandoverReason; fields: ComplaintFields | null } | null;
  complaint: ComplaintFields | null;
}

/**
 * "Try the bot" for admins: the real dialogs, texts and knowledge base, in a trial conversation
 * of their own (kept in bot_state under `try/`), where nothing reaches a customer: no complaint
 * is written (its reference reads PREVIEW), no order is found, nobody is handed anything.
 */
export class BotTryService {
  private readonly adapter = new SwitchboardAdapter();

  constructor(
    private readonly db: Db,
    private readonly content: BotContentService,
    private readonly complaints: ComplaintService,
    private readonly access: AccessService,
    private readonly clock: Clock,
  ) {}

  static storageKey(userId: string): string {
    return `try/conversations/try-${userId}/`;
  }

  async run(principal: Principal, input: TryInput): Promise<TryResult> {
    this.access.requireAdmin(principal);
    const storage = new DbStorage(this.db);
    const bot = new SwitchboardBot(new ConversationState(storage));
    if (input.reset) await storage.delete([BotTryService.storageKey(principal.id)]);
    const categories = await this.complaints.categories();
    const result: TryResult = { replies: [], handover: null, complaint: null };
    result.replies = await this.adapter.processActivity(
      {
        type: 'message',
        id: `try-${Date.now()}`,
        text: input.text,
        channelId: 'try',
        conversation: {
          id: `try-${principal.id}`,
          isGroup: false,
          conversationType: 'personal',
          name: '',
        },
        from: { id: principal.id, name: principal.name },
        recipient: { id: 'switchboard', name: 'Switchboard' },
      },
      async (context) => {
        setPorts(context, {
          texts: (l) => this.content.texts(l),
          answer: (l, q) => this.content.answer(l, q),
          findOrder: async () => null,
          categories: async (l) =>
            categories.map((c) => ({ key: c.key, name: c.names[l] || c.key })),
          rememberLanguage: async () => undefined,
          openComplaint: async (fields) => {
            result.complaint = fields;
            return { reference: 'PREVIEW', dueAt: null };
          },
          hours: async () => {
            const now = this.clock.now();
            const openNow = isOpen(ALWAYS, now);
            return { openNow, opensAt: openNow ? null : nextOpening(ALWAYS, now), timeZone: 'UTC' };
          },
          handover: async (reason, fields) => {
            result.handover = { reason, fields: fields ?? null };
          },
        });
        await bot.run(context, { profileLanguage: input.language ?? null, hint: null });
      },
    );
    return result;
  }
}
