import { ChannelParseError, type DeliveryStatus, type ParsedEvent } from '../types';
import { describeTwilioError } from './errors';

/** Twilio's message statuses as ours; the ones before "sent" change nothing we show. */
const STATUS: Readonly<Record<string, DeliveryStatus | null>> = {
  accepted: null,
  scheduled: null,
  queued: null,
  sending: null,
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  undelivered: 'failed',
  failed: 'failed',
  canceled: 'failed',
  // Inbound statuses: a callback for a message we received, not one we sent.
  receiving: null,
  received: null,
};

/**
 * A message status callback: the message (by MessageSid) moves on, never back: the platform
 * refuses a status behind the one stored, so callbacks may arrive in any order. Unknown
 * statuses are ignored, a callback without MessageSid is refused.
 */
export function parseMessageStatus(params: Record<string, string>): ParsedEvent[] {
  const sid = params['MessageSid'] ?? params['SmsSid'];
  const raw = (params['MessageStatus'] ?? params['SmsStatus'] ?? '').toLowerCase();
  if (!sid) throw new ChannelParseError('a status callback without MessageSid');
  if (!raw) throw new ChannelParseError('a status callback without MessageStatus');
  const status = STATUS[raw];
  if (!status) return [];
  const code = params['ErrorCode'];
  const failed = status === 'failed';
  return [
    {
      type: 'status',
      providerMessageId: sid,
      status,
      ...(failed
        ? {
            error:
              code && code !== '0'
                ? { code, message: describeTwilioError(code, params['ErrorMessage']) }
                : { message: `Twilio reported the message ${raw}` },
          }
        : {}),
    },
  ];
}
