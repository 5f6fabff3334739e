import { createHmac } from 'node:crypto';
import type { ChannelDefinition } from '../../channels/types';
import { webchatChannel, type WebchatTransport } from '../../channels/webchat/definition';
import { telegramChannel } from '../../channels/telegram/definition';
import { emailChannel } from '../../channels/email/definition';
import { smsChannel, type TwilioDeps } from '../../channels/sms/definition';
import { voiceChannel } from '../../channels/voice/definition';
import type { Config } from '../config/config';
import type { Db } from '../db/client';
import type { Logger } from '../logger';
import type { PublicMediaLinks } from '../attachments/public-media';
import { DatabaseVoiceDirectory } from '../voice/voice-directory';

/**
 * Links an agent makes for a contact (Telegram deep links) are signed with a key derived from
 * the server's secret key: every instance sharing the key shares it.
 */
export function linkSecretOf(secretKey: string | Buffer): string {
  return createHmac('sha256', secretKey).update('link-tokens').digest('base64url');
}

/** The channel kinds built in; the caller's own (tests' fakes) replace a built-in of their kind. */
export function channelDefinitions(deps: {
  config: Config;
  logger: Logger;
  db: Db;
  webchat: WebchatTransport;
  linkSecret: string;
  mediaLinks: PublicMediaLinks;
  extra: ChannelDefinition[];
}): ChannelDefinition[] {
  const { config, logger } = deps;
  const twilio: TwilioDeps = {
    apiBase: config.TWILIO_API_BASE,
    warn: (data, message) => logger.warn(data, message),
  };
  const builtIn: ChannelDefinition[] = [
    webchatChannel(deps.webchat),
    telegramChannel({ apiRoot: config.TELEGRAM_API_ROOT, linkSecret: deps.linkSecret, logger }),
    emailChannel({ maxAttachmentBytes: config.MEDIA_MAX_BYTES, logger }),
    smsChannel(twilio),
    voiceChannel({
      ...twilio,
      directory: new DatabaseVoiceDirectory(deps.db),
      // Prompts are fetched by Twilio while the call plays them: an hour is plenty.
      playUrl: (attachmentId) => deps.mediaLinks.urlFor(attachmentId, 60 * 60 * 1000),
    }),
  ];
  const byKind = new Map<string, ChannelDefinition>();
  for (const d of [...builtIn, ...deps.extra]) byKind.set(d.kind, d);
  return [...byKind.values()];
}
