import { isIP } from 'node:net';
import express, { Router, type Request } from 'express';
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  ActionTypes,
  type Activity,
  type ConversationReference,
} from 'botbuilder';
import { ChannelSendError } from '../../channels/types';
import type {
  BotFrameworkConnector,
  BotFrameworkRef,
  BotFrameworkReply,
} from '../../channels/botframework/definition';
import type { Logger } from '../logger';

/** 127.0.0.0/8, ::1 and IPv4-mapped loopback. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const ip = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (isIP(ip) === 4) return ip.split('.')[0] === '127';
  return ip === '::1';
}

/** A URL on this machine: localhost, 127.0.0.0/8 or [::1], over http or https. */
export function isLoopbackUrl(value: string | undefined): boolean {
  if (!value) return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || isLoopbackAddress(host);
}

export interface BotFrameworkOptions {
  appId?: string | undefined;
  appPassword?: string | undefined;
  tenantId?: string | undefined;
}

/**
 * The Bot Framework channel's edge, and the only module that knows botbuilder's CloudAdapter
 * (botbuilder is archived upstream: replacing it touches this file). With an app id, requests
 * are authenticated as Bot Framework does (JWT) and replies are sent with the app's token.
 * Without one (emulator mode), only loopback callers are served, and replies go only to a
 * loopback serviceUrl, so nobody can make the server post anywhere else.
 */
export class BotFrameworkGateway implements BotFrameworkConnector {
  readonly emulator: boolean;
  private readonly adapter: CloudAdapter;
  private readonly appId: string;

  constructor(
    opts: BotFrameworkOptions,
    private readonly logger: Logger,
  ) {
    this.emulator = !opts.appId;
    this.appId = opts.appId ?? '';
    const settings = {
      MicrosoftAppId: opts.appId,
      MicrosoftAppPassword: opts.appPassword,
      MicrosoftAppTenantId: opts.tenantId,
      MicrosoftAppType: opts.appId ? (opts.tenantId ? 'SingleTenant' : 'MultiTenant') : undefined,
    };
    this.adapter = new CloudAdapter(
      new ConfigurationBotFrameworkAuthentication(
        settings,
        new ConfigurationServiceClientCredentialFactory(settings),
      ),
    );
    this.adapter.onTurnError = async (_context, err) => {
      throw err;
    };
  }

  /** `POST /api/messages`: each message activity is handed to `receive` (which stores it). */
  router(receive: (activity: Activity) => Promise<void>): Router {
    const router = Router();
    router.post('/api/messages', express.json({ limit: '1mb' }), async (req: Request, res) => {
      if (this.emulator) {
        const refused = this.refusal(req);
        if (refused) {
          this.logger.warn({ ip: req.ip, reason: refused }, 'bot framework: request refused');
          res.status(401).json({ error: { code: 'unauthorized', message: refused } });
          return;
        }
      }
      await this.adapter.process(req, res, async (context) => {
        if (context.activity.type === 'message') await receive(context.activity);
      });
    });
    return router;
  }

  private refusal(req: Request): string | null {
    if (!isLoopbackAddress(req.ip))
      return 'emulator mode (no MICROSOFT_APP_ID) serves loopback callers only';
    const serviceUrl = (req.body as { serviceUrl?: unknown } | undefined)?.serviceUrl;
    if (typeof serviceUrl !== 'string' || !isLoopbackUrl(serviceUrl))
      return 'emulator mode (no MICROSOFT_APP_ID) answers a loopback serviceUrl only';
    return null;
  }

  async send(ref: BotFrameworkRef, reply: BotFrameworkReply): Promise<{ id?: string }> {
    if (this.emulator && !isLoopbackUrl(ref.serviceUrl)) {
      this.logger.warn({ serviceUrl: ref.serviceUrl }, 'bot framework: serviceUrl refused');
      throw new ChannelSendError(
        'emulator mode (no MICROSOFT_APP_ID) answers a loopback serviceUrl only',
        false,
      );
    }
    const reference: Partial<ConversationReference> = {
      serviceUrl: ref.serviceUrl,
      channelId: ref.channelId,
      conversation: {
        id: ref.conversationId,
        isGroup: false,
        conversationType: 'personal',
        name: '',
      },
      bot: { id: ref.bot.id, name: ref.bot.name ?? '' },
      user: { id: ref.user.id, name: ref.user.name ?? '' },
      ...(ref.replyToId ? { activityId: ref.replyToId } : {}),
    };
    let id: string | undefined;
    await this.adapter.continueConversationAsync(this.appId, reference, async (context) => {
      const sent = await context.sendActivity({
        type: 'message',
        text: reply.text,
        ...(reply.buttons.length
          ? {
              suggestedActions: {
                to: [ref.user.id],
                actions: reply.buttons.map((b) => ({
                  type: ActionTypes.ImBack,
                  title: b.label,
                  value: b.value,
                })),
              },
            }
          : {}),
      });
      id = sent?.id;
    });
    return id ? { id } : {};
  }
}
