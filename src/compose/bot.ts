import type { Activity } from 'botbuilder';
import type { Router } from 'express';
import type { Clock } from '../clock';
import type { Db } from '../db/client';
import type { UnitOfWork } from '../db/unit-of-work';
import type { Logger } from '../logger';
import type { AccessService } from '../auth/access.service';
import type { ConversationRepository } from '../conversations/conversation.repository';
import type { MessageService } from '../conversations/message.service';
import type { DurableEvents } from '../jobs/durable-events';
import type { JobQueue } from '../jobs/job-queue';
import type { ChannelHost } from '../channel-host/channel-host';
import { AtCommitDelivery } from '../delivery/at-commit';
import { TurnKit } from '../bot/turn-kit';
import type { EventService } from '../events/event.service';
import type { IngestService } from '../ingest/ingest.service';
import type { InboxRepository } from '../inboxes/inbox.repository';
import type { InboxService } from '../inboxes/inbox.service';
import type { InboxRow } from '../db/schema';
import { BotService } from '../bot/bot.service';
import { BotContentService } from '../bot/bot-content.service';
import { BotTryService } from '../bot/bot-try.service';
import type { BotFrameworkGateway } from '../bot/bot-framework';
import { botRoutes } from '../api/bot.controller';
import type { Ladder } from './ladder';

export interface BotDeps {
  db: Db;
  uow: UnitOfWork;
  clock: Clock;
  logger: Logger;
  events: EventService;
  durable: DurableEvents;
  jobs: JobQueue;
  host: ChannelHost;
  /** Delivery attempts of the bot's replies (DELIVERY_MAX_ATTEMPTS). */
  maxAttempts: number;
  access: AccessService;
  conversationRepo: ConversationRepository;
  messages: MessageService;
  ladder: Ladder;
  ingest: IngestService;
  inboxRepo: InboxRepository;
  inboxes: InboxService;
  gateway: BotFrameworkGateway;
}

/**
 * The bot, composed: its content (texts, knowledge base), the turn runner listening to customer
 * messages, "try the bot" for admins, and the Bot Framework channel's `/api/messages`.
 */
export function botModule(d: BotDeps) {
  const content = new BotContentService(d.db, d.access);
  const service = new BotService(
    d.db,
    d.uow,
    d.conversationRepo,
    d.messages,
    d.ladder.complaints,
    new TurnKit(content, d.ladder.sla, d.ladder.hours, d.clock),
    d.jobs,
    d.durable,
    new AtCommitDelivery(d.host, d.logger),
    d.clock,
    d.logger,
    { maxAttempts: d.maxAttempts },
  );
  service.register();
  // The process that ingested a customer's message takes the bot's turn at once.
  d.events.on('bot.turn', (due) => service.onIngested(due));
  const trial = new BotTryService(d.db, content, d.ladder.complaints, d.access, d.clock);

  // The Bot Framework inbox is made on the first activity, with the bot on: that is its point.
  let inbox: Promise<InboxRow> | undefined;
  const botFrameworkInbox = () =>
    (inbox ??= (async () => {
      const existing = await d.inboxRepo.envInbox('botframework');
      if (existing) return existing;
      const created = await d.inboxes.ensureFromEnv('botframework', {
        name: 'Bot Framework',
        credentials: {},
      });
      const on = await d.uow.run(async (tx, emit) => {
        const row = await d.inboxRepo.update(tx, created.id, { botEnabled: true });
        emit('inbox.changed', { inboxId: created.id });
        return row;
      });
      return on ?? created;
    })().catch((err: unknown) => {
      inbox = undefined;
      throw err;
    }));

  const receive = async (a: Activity) => {
    const row = await botFrameworkInbox();
    const fresh = (await d.inboxRepo.envInbox('botframework')) ?? row;
    await d.ingest.ingest(
      {
        id: fresh.id,
        channel: fresh.channel,
        settings: fresh.settings,
        botEnabled: fresh.botEnabled,
      },
      {
        sender: {
          kind: 'botframework',
          value: `${a.channelId}:${a.from.id}`,
          ...(a.from.name ? { name: a.from.name } : {}),
        },
        providerMessageId: `${a.channelId}:${a.conversation.id}:${a.id ?? `${Date.now()}`}`,
        text: a.text ?? '',
        attachments: [],
        channelRef: {
          serviceUrl: a.serviceUrl,
          channelId: a.channelId,
          conversationId: a.conversation.id,
          bot: { id: a.recipient.id, name: a.recipient.name },
          user: { id: a.from.id, name: a.from.name },
          ...(a.id ? { replyToId: a.id } : {}),
        },
        mergeChannelRef: true,
        ...(a.locale ? { profile: { language: a.locale } } : {}),
        raw: a,
      },
    );
  };

  const routes: Router[] = [botRoutes({ content, trial })];
  return {
    content,
    service,
    trial,
    routes,
    botFramework: d.gateway.router(receive),
  };
}

export type BotModule = ReturnType<typeof botModule>;
