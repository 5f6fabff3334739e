import { ChannelParseError, type ParsedEvent, type WebhookRequest } from '../types';
import { extensionFor, languageOfScript, twilioAttachment } from '../twilio/inbound';
import { phoneIdentity } from '../twilio/phone';
import { parseMessageStatus } from '../twilio/status';
import { formParams } from '../twilio/verify';

/** Twilio's default opt-out and opt-in keywords: the whole body, any case. */
export const OPT_OUT_KEYWORDS = new Set([
  'STOP',
  'STOPALL',
  'UNSUBSCRIBE',
  'CANCEL',
  'END',
  'QUIT',
]);
export const OPT_IN_KEYWORDS = new Set(['START', 'YES', 'UNSTOP']);

/** Twilio caps MMS at 10 files; more `MediaUrlN` fields than that are not Twilio's. */
const MAX_MEDIA = 10;

/**
 * An inbound SMS/MMS. The message is always stored (the agent sees the STOP); an opt-out or
 * opt-in keyword, or Twilio's `OptOutType` (Advanced Opt-Out), also changes whether we may text
 * that number again.
 */
export function parseInboundSms(
  params: Record<string, string>,
  apiBase: string | undefined,
): ParsedEvent[] {
  const sid = params['MessageSid'] ?? params['SmsMessageSid'] ?? params['SmsSid'];
  const from = params['From'];
  if (!sid) throw new ChannelParseError('an SMS webhook without MessageSid');
  if (!from) throw new ChannelParseError('an SMS webhook without From');
  const phone = phoneIdentity(from);
  const text = params['Body'] ?? '';
  const count = Math.min(
    MAX_MEDIA,
    Math.max(0, Number.parseInt(params['NumMedia'] ?? '0', 10) || 0),
  );
  const attachments = [];
  for (let i = 0; i < count; i++) {
    const url = params[`MediaUrl${i}`];
    if (!url) continue;
    const contentType = params[`MediaContentType${i}`] || 'application/octet-stream';
    attachments.push(
      twilioAttachment(url, contentType, `${sid}-${i}.${extensionFor(contentType)}`, apiBase),
    );
  }
  const keyword = text.trim().toUpperCase();
  const optOutType = (params['OptOutType'] ?? '').toUpperCase();
  const language = languageOfScript(text);
  const events: ParsedEvent[] = [
    {
      type: 'message',
      message: {
        sender: { kind: 'phone', value: phone },
        providerMessageId: sid,
        text,
        attachments,
        meta: {
          to: params['To'] ?? null,
          ...(params['NumSegments'] ? { segments: Number(params['NumSegments']) } : {}),
        },
        ...(language ? { profile: { language } } : {}),
        raw: params,
      },
    },
  ];
  if (optOutType === 'STOP' || OPT_OUT_KEYWORDS.has(keyword)) {
    events.push({
      type: 'identity',
      identity: { kind: 'phone', value: phone },
      state: 'opted_out',
      reason: `the customer replied "${text.trim() || optOutType}": no SMS may be sent to this number until they reply START`,
    });
  } else if (optOutType === 'START' || OPT_IN_KEYWORDS.has(keyword)) {
    events.push({
      type: 'identity',
      identity: { kind: 'phone', value: phone },
      state: 'ok',
      reason: `the customer replied "${text.trim() || optOutType}"`,
    });
  }
  return events;
}

/** `POST …/sms` (a message came in) and `POST …/status` (a delivery report). */
export function parseSmsWebhook(req: WebhookRequest, apiBase: string | undefined): ParsedEvent[] {
  const params = formParams(req);
  switch (req.subPath) {
    case 'sms':
      return parseInboundSms(params, apiBase);
    case 'status':
      return parseMessageStatus(params);
    default:
      throw new ChannelParseError(`the SMS channel has no webhook ${req.subPath || '(none)'}`);
  }
}
