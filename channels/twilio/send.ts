import type twilio from 'twilio';
import { ChannelSendError, type InboxInfo, type OutboundMessage, type SendResult } from '../types';
import { withSignal } from './client';
import { textWithChoices } from '../choices';
import type { TwilioCredentials } from './credentials';
import { isPermanentTwilioError } from './errors';
import { restFailure } from './validate';

/**
 * MMS is a North American service at Twilio: a US or Canadian number sends it (elsewhere
 * Twilio refuses media). A Messaging Service decides per message, so media is tried.
 */
export function canSendMms(credentials: TwilioCredentials): boolean {
  return credentials.phoneNumber === undefined || credentials.phoneNumber.startsWith('+1');
}

/**
 * One SMS (or MMS, with attachments) through the Messages API, from the inbox's number or its
 * Messaging Service, with a StatusCallback to this inbox so delivery reports find their way
 * back. Failures say whether trying again can help; 21610 marks the recipient opted out.
 */
export async function sendTwilioMessage(
  client: twilio.Twilio,
  credentials: TwilioCredentials,
  inbox: InboxInfo,
  message: OutboundMessage,
  signal: AbortSignal,
): Promise<SendResult> {
  if (message.recipient.kind !== 'phone')
    throw new ChannelSendError(`SMS cannot reach a ${message.recipient.kind} identity`, false);
  const mediaUrl = message.attachments.map((a) => a.publicUrl);
  if (mediaUrl.length && !canSendMms(credentials))
    throw new ChannelSendError(
      `attachments go out as MMS, which ${credentials.phoneNumber} cannot send (Twilio sends MMS from US and Canadian numbers): send the text without them`,
      false,
    );
  if (mediaUrl.some((u) => !u))
    throw new ChannelSendError('an attachment has no public address for Twilio to fetch', false);
  const body = textWithChoices(message).trim();
  try {
    const sent = await withSignal(
      signal,
      client.messages.create({
        to: message.recipient.value,
        ...(credentials.messagingServiceSid
          ? { messagingServiceSid: credentials.messagingServiceSid }
          : { from: credentials.phoneNumber! }),
        ...(body ? { body } : {}),
        ...(mediaUrl.length ? { mediaUrl: mediaUrl as string[] } : {}),
        statusCallback: `${inbox.publicUrl}/webhooks/twilio/${inbox.id}/status`,
      }),
    );
    return { providerMessageId: sent.sid };
  } catch (err) {
    if (signal.aborted) throw err;
    const failure = restFailure(err);
    const permanent = failure.code
      ? isPermanentTwilioError(failure.code, failure.status)
      : failure.status !== undefined && failure.status < 500 && failure.status !== 429;
    throw new ChannelSendError(failure.message, !permanent, {
      ...(failure.code ? { code: failure.code } : {}),
      ...(failure.code === '21610' ? { identityState: 'opted_out' as const } : {}),
      ...(failure.status === 429 ? { retryAfterMs: 5_000 } : {}),
    });
  }
}
