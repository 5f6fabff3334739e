import { z } from 'zod';
import { ChannelSendError, type ChannelDefinition, type OutboundMessage } from '../types';

/** Where a Bot Framework conversation is answered: kept on the conversation as `channelRef`. */
export const botFrameworkRefSchema = z.object({
  serviceUrl: z.string().url(),
  channelId: z.string().min(1),
  conversationId: z.string().min(1),
  bot: z.object({ id: z.string(), name: z.string().optional() }),
  user: z.object({ id: z.string(), name: z.string().optional() }),
  /** The activity being answered, so clients thread the reply. */
  replyToId: z.string().optional(),
});
export type BotFrameworkRef = z.infer<typeof botFrameworkRefSchema>;

export interface BotFrameworkReply {
  text: string;
  buttons: { label: string; value: string }[];
}

/**
 * How replies reach a Bot Framework client: the composition root gives the connector (our
 * module around botbuilder's CloudAdapter), which authenticates as the bot and refuses a
 * serviceUrl it may not call.
 */
export interface BotFrameworkConnector {
  send(
    ref: BotFrameworkRef,
    reply: BotFrameworkReply,
    signal: AbortSignal,
  ): Promise<{ id?: string }>;
}

const noCredentials = z.object({}).strict();

/** Bot Framework (Emulator, Teams, Direct Line): activities in at /api/messages, out through the connector. */
export function botFrameworkChannel(
  connector: BotFrameworkConnector,
): ChannelDefinition<z.infer<typeof noCredentials>> {
  return {
    kind: 'botframework',
    displayName: 'Bot Framework',
    recipientKind: 'botframework',
    supportsTyping: false,
    threaded: false,
    credentials: noCredentials,
    credentialKeys: [],
    create: () => ({
      async send(message: OutboundMessage, opts) {
        const ref = botFrameworkRefSchema.safeParse(message.channelRef);
        if (!ref.success)
          throw new ChannelSendError(
            'the conversation has no Bot Framework address to answer',
            false,
          );
        const sent = await connector.send(
          ref.data,
          { text: message.text, buttons: message.buttons ?? [] },
          opts.signal,
        );
        return sent.id ? { providerMessageId: sent.id } : {};
      },
    }),
  };
}
