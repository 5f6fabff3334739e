import twilio from 'twilio';
import type { ChannelDefinition, ParsedEvent } from '../types';
import { twilioClient } from '../twilio/client';
import {
  TWILIO_CREDENTIAL_KEYS,
  twilioCredentialsShape,
  twilioFromEnv,
  twilioRoutingKey,
  type TwilioCredentials,
} from '../twilio/credentials';
import { fetchTwilioMedia } from '../twilio/media';
import { sendTwilioMessage } from '../twilio/send';
import { validateTwilioCredentials } from '../twilio/validate';
import { verifyTwilioSignature } from '../twilio/verify';
import { parseSmsWebhook } from './parse';

/** What the Twilio channels get from the composition root. */
export interface TwilioDeps {
  /** TWILIO_API_BASE: every REST call and media download goes there instead of Twilio. */
  apiBase?: string | undefined;
  /** Where refused media URLs are reported. */
  warn?: (data: Record<string, unknown>, message: string) => void;
  /** Tests only: how media is downloaded and names resolved (never a real network). */
  fetch?: typeof fetch;
  lookup?: (hostname: string) => Promise<string[]>;
}

export const EMPTY_TWIML = new twilio.twiml.MessagingResponse().toString();

export const smsCredentials = twilioCredentialsShape.refine(
  (c) => c.phoneNumber !== undefined || c.messagingServiceSid !== undefined,
  { message: 'phoneNumber or messagingServiceSid is required', path: ['phoneNumber'] },
);

/** Refused media URLs: the message is kept without that file, and the refusal is logged. */
export function reportRefusedMedia(deps: TwilioDeps, inboxId: string, events: ParsedEvent[]): void {
  for (const event of events) {
    if (event.type !== 'message') continue;
    for (const file of event.message.attachments)
      if (file.error)
        deps.warn?.(
          { inboxId, providerMessageId: event.message.providerMessageId, reason: file.error },
          'media URL refused',
        );
  }
}

/**
 * SMS and MMS through a Twilio number or Messaging Service: signed webhooks in, the Messages API
 * out with delivery-status callbacks, STOP/START opt-out, MMS media fetched from Twilio only.
 */
export function smsChannel(deps: TwilioDeps = {}): ChannelDefinition<TwilioCredentials> {
  return {
    kind: 'sms',
    displayName: 'SMS',
    recipientKind: 'phone',
    supportsTyping: false,
    threaded: false,
    credentials: smsCredentials,
    credentialKeys: TWILIO_CREDENTIAL_KEYS,
    webhook: { provider: 'twilio', subPaths: ['sms', 'status'] },
    routingKey: twilioRoutingKey,
    async validate(credentials, { signal }) {
      await validateTwilioCredentials(credentials, deps.apiBase, signal);
      return { name: `SMS ${credentials.phoneNumber ?? credentials.messagingServiceSid}` };
    },
    fromEnv: (env) => twilioFromEnv(env, 'SMS'),
    create(inbox, credentials) {
      const client = twilioClient(credentials, deps.apiBase);
      return {
        verify: (req) => verifyTwilioSignature(req, credentials.authToken),
        parse(req) {
          const events = parseSmsWebhook(req, deps.apiBase);
          reportRefusedMedia(deps, inbox.id, events);
          return events;
        },
        // Twilio reads TwiML from the answer: an empty one sends no auto-reply.
        respond: () => ({ status: 200, contentType: 'text/xml', body: EMPTY_TWIML }),
        send: (message, { signal }) =>
          sendTwilioMessage(client, credentials, inbox, message, signal),
        fetchMedia: (ref, { signal, maxBytes }) =>
          fetchTwilioMedia(String(ref['url']), {
            accountSid: credentials.accountSid,
            authToken: credentials.authToken,
            apiBase: deps.apiBase,
            signal,
            maxBytes,
            ...(deps.fetch ? { fetch: deps.fetch } : {}),
            ...(deps.lookup ? { lookup: deps.lookup } : {}),
          }),
      };
    },
  };
}
