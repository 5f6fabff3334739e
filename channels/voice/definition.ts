import twilio from 'twilio';
import { ChannelParseError, type ChannelDefinition, type WebhookRequest } from '../types';
import { reportRefusedMedia, type TwilioDeps } from '../sms/definition';
import { twilioClient } from '../twilio/client';
import {
  TWILIO_CREDENTIAL_KEYS,
  twilioCredentialsShape,
  twilioFromEnv,
  twilioRoutingKey,
  type TwilioCredentials,
} from '../twilio/credentials';
import { fetchTwilioMedia } from '../twilio/media';
import { phoneIdentity } from '../twilio/phone';
import { sendTwilioMessage } from '../twilio/send';
import { parseMessageStatus } from '../twilio/status';
import { validateTwilioCredentials } from '../twilio/validate';
import { verifyTwilioSignature, formParams } from '../twilio/verify';
import {
  planCallStatus,
  planVoice,
  type CallAgent,
  type CallFacts,
  type CallHistoryEntry,
  type IvrSetup,
} from './ivr';
import { isCallLanguage, readPromptSettings } from './prompts';
import { twilioTranscriber, type Transcriber } from './transcriber';

/**
 * What the phone menu needs to know from the rest of the system, looked up per webhook (any
 * instance may answer any step of a call). Implemented over the database in src/voice.
 */
export interface VoiceDirectory {
  /** The caller's language from their profile, if known. */
  languageOf(phone: string): Promise<string | null>;
  /** Whether the inbox's business hours are open at `at`, and when they open next. */
  hours(
    inboxId: string,
    at: Date,
  ): Promise<{ open: boolean; opensAt: Date | null; timeZone: string }>;
  /** Agents of the inbox on duty with a phone number: the ones a forwarded call rings. */
  onDutyAgents(inboxId: string): Promise<CallAgent[]>;
  /** What was stored of this call so far. */
  callHistory(inboxId: string, phone: string, callSid: string): Promise<CallHistoryEntry[]>;
}

export interface VoiceDeps extends TwilioDeps {
  directory: VoiceDirectory;
  /** A public, signed, expiring URL of an uploaded recording (voice prompts). */
  playUrl(attachmentId: string): string;
  /** First one that speaks the caller's language transcribes voicemails (default: Twilio's). */
  transcribers?: readonly Transcriber[];
  now?: () => Date;
}

const voiceCredentials = twilioCredentialsShape.refine((c) => c.phoneNumber !== undefined, {
  message: 'a Phone inbox needs its phoneNumber',
  path: ['phoneNumber'],
});

const HANG_UP = new twilio.twiml.VoiceResponse().toString();

function numberSetting(value: unknown, fallback: number, min: number, max: number): number {
  return typeof value === 'number' && Number.isFinite(value)
    ? Math.min(max, Math.max(min, Math.round(value)))
    : fallback;
}

/**
 * Calls to a Twilio number: a TwiML menu in the caller's language (English, Russian, Persian)
 * with voicemail, callback requests and forwarding to the agents on duty in business hours;
 * every call is recorded in the caller's conversation. Replies in a phone conversation, and
 * the missed-call follow-up, go out as SMS from the same number.
 */
export function voiceChannel(deps: VoiceDeps): ChannelDefinition<TwilioCredentials> {
  const now = deps.now ?? (() => new Date());
  return {
    kind: 'voice',
    displayName: 'Phone',
    recipientKind: 'phone',
    supportsTyping: false,
    threaded: false,
    credentials: voiceCredentials,
    credentialKeys: TWILIO_CREDENTIAL_KEYS,
    // `voice`: "A call comes in"; `voice-status`: "Call status changes". The menu's own steps
    // are `voice?step=…` URLs this inbox gives Twilio in its TwiML.
    webhook: { provider: 'twilio', subPaths: ['voice', 'voice-status'] },
    routingKey: twilioRoutingKey,
    async validate(credentials, { signal }) {
      await validateTwilioCredentials(credentials, deps.apiBase, signal);
      return { name: `Phone ${credentials.phoneNumber}` };
    },
    fromEnv: (env) => twilioFromEnv(env, 'Phone'),
    create(inbox, credentials) {
      const client = twilioClient(credentials, deps.apiBase);
      const settings = inbox.settings;
      const setup: IvrSetup = {
        inboxId: inbox.id,
        apiBase: deps.apiBase,
        publicUrl: inbox.publicUrl,
        number: credentials.phoneNumber ?? '',
        prompts: readPromptSettings(settings['prompts']),
        playUrl: deps.playUrl,
        transcribers: deps.transcribers ?? [twilioTranscriber],
        missedCallSms: settings['missedCallSms'] === true,
        ringSeconds: numberSetting(settings['ringSeconds'], 20, 5, 60),
        maxRecordSeconds: numberSetting(settings['maxRecordSeconds'], 120, 10, 600),
      };
      // The TwiML planned while parsing, for the answer to that same request.
      const answers = new WeakMap<WebhookRequest, string>();

      async function facts(
        params: Record<string, string>,
        query: Record<string, string>,
        need: { language?: boolean; hours?: boolean; agents?: boolean; history?: boolean },
      ): Promise<CallFacts> {
        const at = now();
        const party = phoneIdentity(
          query['caller'] ??
            (params['Direction']?.startsWith('outbound') ? params['To'] : params['From']) ??
            '',
        );
        const [language, hours, agents, history] = await Promise.all([
          need.language ? deps.directory.languageOf(party) : null,
          need.hours ? deps.directory.hours(inbox.id, at) : null,
          need.agents ? deps.directory.onDutyAgents(inbox.id) : [],
          need.history && params['CallSid']
            ? deps.directory.callHistory(inbox.id, party, params['CallSid'])
            : [],
        ]);
        return {
          now: at,
          profileLanguage: isCallLanguage(language) ? language : undefined,
          open: hours?.open ?? true,
          opensAt: hours?.opensAt ?? null,
          timeZone: hours?.timeZone ?? 'UTC',
          agents,
          history,
        };
      }

      return {
        verify: (req) => verifyTwilioSignature(req, credentials.authToken),
        async parse(req) {
          const params = formParams(req);
          switch (req.subPath) {
            case 'voice': {
              const step = req.query['step'] ?? 'incoming';
              const plan = planVoice(
                params,
                req.query,
                setup,
                await facts(params, req.query, {
                  language: step === 'incoming',
                  hours: step === 'menu',
                  agents: step === 'menu' || step === 'answered',
                }),
              );
              answers.set(req, plan.twiml);
              reportRefusedMedia(deps, inbox.id, plan.events);
              return plan.events;
            }
            case 'voice-status':
              return planCallStatus(
                params,
                setup,
                await facts(params, req.query, { language: true, hours: true, history: true }),
              );
            case 'status':
              // Delivery reports of the SMS this inbox sent (replies, missed-call follow-ups).
              return parseMessageStatus(params);
            default:
              throw new ChannelParseError(
                `the Phone channel has no webhook ${req.subPath || '(none)'}`,
              );
          }
        },
        respond: (req) => ({
          status: 200,
          contentType: 'text/xml',
          body: answers.get(req) ?? HANG_UP,
        }),
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
