import { DateTime } from 'luxon';
import twilio from 'twilio';
import { ChannelParseError, type InboundMessage, type ParsedEvent } from '../types';
import { phoneIdentity, westernDigits } from '../twilio/phone';
import { twilioAttachment } from '../twilio/inbound';
import {
  CALL_LANGUAGES,
  LANGUAGE_DIGITS,
  LANGUAGE_NAMES,
  SPEECH_LANGUAGES,
  VOICES,
  isCallLanguage,
  promptFor,
  textFor,
  type CallLanguage,
  type PromptKey,
  type PromptSettings,
} from './prompts';
import { transcriberFor, transcriptOf, type Transcriber } from './transcriber';

type VoiceResponse = twilio.twiml.VoiceResponse;
type Gather = ReturnType<VoiceResponse['gather']>;

/**
 * The phone menu as a pure function: one webhook (its step, parameters and the facts looked up
 * for it) → the events to store and the TwiML to answer. The call's state between webhooks
 * travels in the query of the URLs we give Twilio (step, language, attempt, caller), which
 * Twilio signs with the rest of the URL; nothing is kept in memory, so any instance can answer
 * the next webhook of a call.
 *
 *   call → [language menu, unless the profile knows it] → menu: 1 message, 2 call back, 0 person
 *   0 in business hours → ring the on-duty agents together → no answer → voicemail
 *   0 outside business hours → "we open again …" → voicemail
 *
 * Each step the caller takes is a system message in their conversation (`call:<CallSid>:<what>`
 * as provider id, so a retried webhook stores nothing twice); the call's status callback closes
 * it with the duration and the outcome.
 */

export interface CallAgent {
  id: string;
  name: string;
  phone: string;
}

/** What was stored of a call so far (from its messages' `meta.call`). */
export interface CallHistoryEntry {
  event: string;
  agentName?: string;
}

export interface IvrSetup {
  inboxId: string;
  /** TWILIO_API_BASE, when set: recordings are fetched from there. */
  apiBase?: string | undefined;
  /** PUBLIC_URL, without a trailing slash. */
  publicUrl: string;
  /** The inbox's number: caller ID when no better one is known. */
  number: string;
  prompts: PromptSettings;
  /** A public, signed URL of an uploaded recording, for `<Play>`. */
  playUrl(recordingId: string): string;
  transcribers: readonly Transcriber[];
  /** Text the caller back after a missed or abandoned call in business hours. */
  missedCallSms: boolean;
  ringSeconds: number;
  maxRecordSeconds: number;
}

export interface CallFacts {
  now: Date;
  /** The caller's language from their profile, when it is one the menu speaks. */
  profileLanguage?: CallLanguage | undefined;
  open: boolean;
  opensAt: Date | null;
  timeZone: string;
  agents: CallAgent[];
  history: CallHistoryEntry[];
}

export interface CallStep {
  events: ParsedEvent[];
  twiml: string;
}

/** Steps of the `voice` webhook, named in its `step` query parameter (none: a new call). */
export const VOICE_STEPS = [
  'incoming',
  'lang',
  'menu',
  'dial',
  'answered',
  'recorded',
  'recording',
  'transcription',
] as const;
export type VoiceStep = (typeof VOICE_STEPS)[number];

/** The label a callback request puts on its conversation. */
export const CALLBACK_LABEL = 'callback_requested';

const MAX_ATTEMPTS = 2;

// What a caller may say instead of pressing a key, in the three languages.
const SPOKEN_CHOICES: Readonly<Record<string, readonly string[]>> = {
  '1': ['one', 'message', 'voicemail', 'один', 'сообщение', 'یک', 'پیام'],
  '2': ['two', 'call back', 'callback', 'call me', 'два', 'перезвон', 'دو', 'تماس'],
  '0': [
    'zero',
    'agent',
    'operator',
    'person',
    'someone',
    'human',
    'representative',
    'ноль',
    'оператор',
    'человек',
    'сотрудник',
    'صفر',
    'اپراتور',
    'کارشناس',
    'پشتیبان',
  ],
};
const SPOKEN_LANGUAGES: Readonly<Record<CallLanguage, readonly string[]>> = {
  en: ['english', 'inglés'],
  ru: ['russian', 'русский', 'по-русски'],
  fa: ['persian', 'farsi', 'فارسی'],
};

const SPOKEN_LANGUAGES_BY_DIGIT: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  CALL_LANGUAGES.map((l) => [LANGUAGE_DIGITS[l], SPOKEN_LANGUAGES[l]]),
);

/** The key a caller pressed, or the one their words stand for; undefined when neither. */
export function choiceOf(
  params: Record<string, string>,
  options: Readonly<Record<string, readonly string[]>>,
): string | undefined {
  const digits = (params['Digits'] ?? '').trim();
  if (digits) return digits.slice(0, 1);
  const speech = westernDigits(params['SpeechResult'] ?? '')
    .toLowerCase()
    .trim();
  if (!speech) return undefined;
  const digit = /\d/.exec(speech)?.[0];
  if (digit && digit in options) return digit;
  // Whole words, or their beginnings ("оператором" is "оператор"); "someone" is not "one".
  const words = speech.split(/[\s.,!?؟،;:]+/u).filter(Boolean);
  const text = ` ${words.join(' ')} `;
  for (const [key, phrases] of Object.entries(options))
    if (
      phrases.some((p) =>
        p.includes(' ') ? text.includes(` ${p} `) : words.some((w) => w.startsWith(p)),
      )
    )
      return key;
  return undefined;
}

const MENU_NAMES: Readonly<Record<string, string>> = {
  '1': 'leave a message',
  '2': 'call back',
  '0': 'speak to someone',
};

/** `2:28` */
export function formatDuration(seconds: number): string {
  const s = Number.isFinite(seconds) ? Math.max(0, Math.round(seconds)) : 0;
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

function spoken(language: CallLanguage): CallLanguage {
  return VOICES[language] ? language : 'en';
}

/** When the business opens, said the way the (spoken) language says it. */
export function formatOpening(opensAt: Date, timeZone: string, language: CallLanguage): string {
  const locale = { en: 'en-US', ru: 'ru-RU', fa: 'fa-IR' }[spoken(language)];
  return DateTime.fromJSDate(opensAt, { zone: timeZone })
    .setLocale(locale)
    .toLocaleString({ weekday: 'long', hour: 'numeric', minute: '2-digit' });
}

class Plan {
  readonly vr = new twilio.twiml.VoiceResponse();
  readonly events: ParsedEvent[] = [];

  constructor(
    readonly setup: IvrSetup,
    readonly facts: CallFacts,
    readonly callSid: string,
    readonly caller: string,
  ) {}

  url(step: VoiceStep, query: Record<string, string | number | undefined> = {}): string {
    const search = new URLSearchParams({ step });
    for (const [key, value] of Object.entries(query))
      if (value !== undefined) search.set(key, String(value));
    return `${this.setup.publicUrl}/webhooks/twilio/${this.setup.inboxId}/voice?${search}`;
  }

  /** A system message about this call in the caller's conversation. */
  note(event: string, text: string, extra: Partial<InboundMessage> = {}): void {
    this.events.push({
      type: 'message',
      message: {
        kind: 'system',
        sender: { kind: 'phone', value: this.caller },
        providerMessageId: `call:${this.callSid}:${event}`,
        text,
        attachments: [],
        ...extra,
        meta: { callSid: this.callSid, call: event, ...extra.meta },
      },
    });
  }

  say(node: VoiceResponse | Gather, language: CallLanguage, key: PromptKey, vars = {}): void {
    const prompt = promptFor(this.setup.prompts, language, key, vars);
    if (prompt.kind === 'play') node.play(this.setup.playUrl(prompt.recordingId));
    else node.say({ voice: prompt.voice.voice, language: prompt.voice.language }, prompt.text);
  }

  languageMenu(attempt: number): void {
    const gather = this.vr.gather({
      input: ['dtmf', 'speech'],
      numDigits: 1,
      timeout: 6,
      language: 'en-US',
      hints: 'English, Russian, Persian, Farsi',
      action: this.url('lang', { attempt, caller: this.caller }),
      actionOnEmptyResult: true,
    });
    for (const language of CALL_LANGUAGES) {
      const recording = this.setup.prompts[language]?.recordings?.languageMenu;
      if (recording || VOICES[language]) this.say(gather, language, 'languageMenu');
      // No voice and no recording (Persian until an admin uploads one): name it in English.
      else
        gather.say(
          { voice: VOICES.en!.voice, language: VOICES.en!.language },
          `For ${LANGUAGE_NAMES[language]}, press ${LANGUAGE_DIGITS[language]}.`,
        );
    }
  }

  mainMenu(language: CallLanguage, attempt: number, greet: boolean): void {
    const gather = this.vr.gather({
      input: ['dtmf', 'speech'],
      numDigits: 1,
      timeout: 6,
      language: SPEECH_LANGUAGES[language],
      action: this.url('menu', { lang: language, attempt, caller: this.caller }),
      actionOnEmptyResult: true,
    });
    if (greet) this.say(gather, language, 'greeting');
    this.say(gather, language, 'menu');
  }

  voicemail(language: CallLanguage): void {
    this.say(this.vr, language, 'voicemail');
    const transcriber = transcriberFor(language, this.setup.transcribers);
    this.vr.record({
      action: this.url('recorded', { lang: language, caller: this.caller }),
      maxLength: this.setup.maxRecordSeconds,
      finishOnKey: '#',
      playBeep: true,
      trim: 'trim-silence',
      recordingStatusCallback: this.url('recording', { lang: language, caller: this.caller }),
      recordingStatusCallbackEvent: ['completed', 'absent'],
      ...transcriber.recordAttributes(
        this.url('transcription', { lang: language, caller: this.caller }),
      ),
    });
  }

  twiml(): string {
    return this.vr.toString();
  }
}

function required(params: Record<string, string>, name: string): string {
  const value = params[name];
  if (!value) throw new ChannelParseError(`a voice webhook without ${name}`);
  return value;
}

function languageOf(query: Record<string, string>, facts: CallFacts): CallLanguage {
  const lang = query['lang'];
  return isCallLanguage(lang) ? lang : (facts.profileLanguage ?? 'en');
}

function attemptOf(query: Record<string, string>): number {
  const n = Number.parseInt(query['attempt'] ?? '1', 10);
  return Number.isFinite(n) && n >= 1 && n <= MAX_ATTEMPTS + 1 ? n : 1;
}

/** The `voice` webhook: a new call and every later step of its menu. */
export function planVoice(
  params: Record<string, string>,
  query: Record<string, string>,
  setup: IvrSetup,
  facts: CallFacts,
): CallStep {
  const step = (query['step'] ?? 'incoming') as VoiceStep;
  if (!(VOICE_STEPS as readonly string[]).includes(step))
    throw new ChannelParseError(`the phone menu has no step ${step}`);
  // The agent's leg and recording callbacks do not carry the caller: their URL does.
  const rawCaller = query['caller'] ?? params['From'] ?? '';
  // The agent's leg is a call of its own; the caller's call is its parent.
  const callSid = required(params, step === 'answered' ? 'ParentCallSid' : 'CallSid');
  if (!rawCaller) throw new ChannelParseError('a voice webhook without From');
  const plan = new Plan(setup, facts, callSid, phoneIdentity(rawCaller));
  const language = languageOf(query, facts);
  const attempt = attemptOf(query);

  switch (step) {
    case 'incoming': {
      plan.note('start', `Incoming call from ${plan.caller}`, { channelRef: { callSid } });
      if (facts.profileLanguage) plan.mainMenu(facts.profileLanguage, 1, true);
      else plan.languageMenu(1);
      break;
    }
    case 'lang': {
      const digit = choiceOf(params, SPOKEN_LANGUAGES_BY_DIGIT);
      const chosen = CALL_LANGUAGES.find((l) => LANGUAGE_DIGITS[l] === digit);
      if (chosen) {
        plan.note('lang', `Caller chose ${LANGUAGE_NAMES[chosen]}`, {
          profile: { language: chosen },
        });
        plan.mainMenu(chosen, 1, true);
      } else if (attempt < MAX_ATTEMPTS) {
        plan.say(plan.vr, 'en', 'invalid');
        plan.languageMenu(attempt + 1);
      } else {
        plan.note('lang', 'No language chosen: the menu continues in English');
        plan.mainMenu('en', 1, true);
      }
      break;
    }
    case 'menu':
      menuChoice(plan, params, language, attempt);
      break;
    case 'answered': {
      const agent = facts.agents.find((a) => a.id === query['agent']);
      const name = agent?.name ?? query['name'] ?? 'an agent';
      plan.note('answered', `Answered by ${name}`, { meta: { agentName: name } });
      // Heard by the agent only, before the two are connected.
      plan.vr.say(
        { voice: VOICES.en!.voice, language: VOICES.en!.language },
        `Call from ${plan.caller.split('').join(' ')}.`,
      );
      break;
    }
    case 'dial': {
      const status = params['DialCallStatus'] ?? '';
      if (status === 'completed' || status === 'answered') {
        const seconds = Number(params['DialCallDuration'] ?? 0);
        plan.note('dial-end', `Talked with an agent for ${formatDuration(seconds)}`, {
          meta: { durationSeconds: seconds },
        });
        plan.vr.hangup();
      } else {
        plan.note('no-answer', `No agent answered (${status || 'no status'}); voicemail offered`);
        plan.say(plan.vr, language, 'noAnswer');
        plan.voicemail(language);
      }
      break;
    }
    case 'recorded': {
      const seconds = Number(params['RecordingDuration'] ?? 0);
      if (params['RecordingUrl'] && seconds > 0)
        plan.note('voicemail', `Voicemail left (${formatDuration(seconds)})`, {
          meta: { durationSeconds: seconds },
        });
      plan.say(plan.vr, language, 'thanks');
      plan.vr.hangup();
      break;
    }
    case 'recording':
      recording(plan, params, language);
      break;
    case 'transcription': {
      const recordingSid = required(params, 'RecordingSid');
      plan.events.push({
        type: 'edit',
        providerMessageId: `rec:${recordingSid}`,
        sender: { kind: 'phone', value: plan.caller },
        text: transcriptOf(params),
        editedAt: facts.now,
      });
      break;
    }
  }
  return { events: plan.events, twiml: plan.twiml() };
}

function menuChoice(
  plan: Plan,
  params: Record<string, string>,
  language: CallLanguage,
  attempt: number,
): void {
  const { facts, setup } = plan;
  const choice = choiceOf(params, SPOKEN_CHOICES);
  const known = choice !== undefined && choice in MENU_NAMES;
  if (!known) {
    if (attempt < MAX_ATTEMPTS) {
      plan.say(plan.vr, language, 'invalid');
      plan.mainMenu(language, attempt + 1, false);
    } else {
      plan.note(`menu-${attempt}`, 'No choice made in the menu; voicemail offered');
      plan.voicemail(language);
    }
    return;
  }
  plan.note(`menu-${attempt}`, `Caller chose ${choice}: ${MENU_NAMES[choice]}`, {
    meta: { choice },
  });
  if (choice === '1') {
    plan.voicemail(language);
    return;
  }
  if (choice === '2') {
    plan.note('callback', `Callback requested on ${plan.caller}`, {
      labels: [CALLBACK_LABEL],
      meta: { callbackNumber: plan.caller },
    });
    plan.say(plan.vr, language, 'callback');
    plan.vr.hangup();
    return;
  }
  if (!facts.open) {
    const opens = facts.opensAt ? formatOpening(facts.opensAt, facts.timeZone, language) : '';
    plan.note(
      'closed',
      `Outside business hours${facts.opensAt ? ` (opens ${facts.opensAt.toISOString()})` : ''}; voicemail offered`,
    );
    plan.say(plan.vr, language, 'closed', { opens });
    plan.voicemail(language);
    return;
  }
  const agents = facts.agents.slice(0, 10);
  if (!agents.length) {
    plan.note('no-agent', 'No agent on duty with a phone; voicemail offered');
    plan.say(plan.vr, language, 'noAnswer');
    plan.voicemail(language);
    return;
  }
  plan.note('dial', `Ringing ${agents.map((a) => a.name).join(', ')}`);
  plan.say(plan.vr, language, 'connecting');
  // The caller's own number as caller ID, so the agent sees who is calling.
  const callerId = /^\+\d{8,15}$/.test(plan.caller) ? plan.caller : setup.number;
  const dial = plan.vr.dial({
    action: plan.url('dial', { lang: language, caller: plan.caller }),
    timeout: setup.ringSeconds,
    callerId,
    answerOnBridge: true,
  });
  for (const agent of agents)
    dial.number(
      { url: plan.url('answered', { lang: language, caller: plan.caller, agent: agent.id }) },
      agent.phone,
    );
}

function recording(plan: Plan, params: Record<string, string>, language: CallLanguage): void {
  const recordingSid = required(params, 'RecordingSid');
  const status = params['RecordingStatus'] ?? 'completed';
  const seconds = Number(params['RecordingDuration'] ?? 0);
  if (status !== 'completed' || !params['RecordingUrl']) {
    plan.events.push({
      type: 'message',
      message: {
        kind: 'system',
        sender: { kind: 'phone', value: plan.caller },
        providerMessageId: `rec:${recordingSid}`,
        text: 'No voicemail was recorded',
        attachments: [],
        meta: { callSid: plan.callSid, call: 'voicemail-absent' },
      },
    });
    return;
  }
  const transcriber = transcriberFor(language, plan.setup.transcribers);
  plan.events.push({
    type: 'message',
    message: {
      sender: { kind: 'phone', value: plan.caller },
      providerMessageId: `rec:${recordingSid}`,
      text: transcriber.pendingText(language),
      attachments: [
        twilioAttachment(
          `${params['RecordingUrl']}.mp3`,
          'audio/mpeg',
          `voicemail-${recordingSid}.mp3`,
          plan.setup.apiBase,
        ),
      ],
      meta: {
        callSid: plan.callSid,
        call: 'voicemail-recording',
        durationSeconds: seconds,
        transcriber: transcriber.name,
        language,
      },
      raw: params,
    },
  });
}

/**
 * The call's status callback (`voice-status`, set on the number in the Twilio console): when the
 * call is over, its duration and outcome; after a missed or abandoned call in business hours,
 * an SMS to the caller when the inbox asks for one.
 */
export function planCallStatus(
  params: Record<string, string>,
  setup: IvrSetup,
  facts: CallFacts,
): ParsedEvent[] {
  const callSid = required(params, 'CallSid');
  const status = (params['CallStatus'] ?? '').toLowerCase();
  const direction = params['Direction'] ?? 'inbound';
  const outbound = direction.startsWith('outbound');
  const party = outbound ? params['To'] : params['From'];
  if (!party)
    throw new ChannelParseError(`a call status callback without ${outbound ? 'To' : 'From'}`);
  if (!['completed', 'busy', 'no-answer', 'failed', 'canceled'].includes(status)) return [];
  const plan = new Plan(setup, facts, callSid, phoneIdentity(party));
  const seconds = Number(params['CallDuration'] ?? 0);
  if (outbound) {
    plan.note('end', `Outbound call to ${plan.caller}: ${status} (${formatDuration(seconds)})`, {
      meta: { status, durationSeconds: seconds },
    });
    return plan.events;
  }
  const outcome = callOutcome(facts.history);
  plan.note('end', `Call ended after ${formatDuration(seconds)}: ${outcome.text}`, {
    meta: { status, durationSeconds: seconds, outcome: outcome.kind },
    ...((outcome.kind === 'missed' || outcome.kind === 'abandoned') &&
    facts.open &&
    setup.missedCallSms
      ? {
          autoReply: {
            text: textFor(setup.prompts, languageFromHistory(facts), 'missedCallSms'),
          },
        }
      : {}),
  });
  return plan.events;
}

function languageFromHistory(facts: CallFacts): CallLanguage {
  return facts.profileLanguage ?? 'en';
}

export type CallOutcome = 'answered' | 'voicemail' | 'callback' | 'missed' | 'abandoned';

/** What became of a call, from what was stored of it. */
export function callOutcome(history: readonly CallHistoryEntry[]): {
  kind: CallOutcome;
  text: string;
} {
  const has = (event: string) => history.some((h) => h.event === event);
  const answered = history.find((h) => h.event === 'answered');
  if (answered)
    return { kind: 'answered', text: `answered by ${answered.agentName ?? 'an agent'}` };
  if (has('voicemail') || has('voicemail-recording'))
    return { kind: 'voicemail', text: 'voicemail' };
  if (has('callback')) return { kind: 'callback', text: 'callback requested' };
  if (has('dial') || has('closed') || has('no-agent') || has('no-answer'))
    return { kind: 'missed', text: 'missed' };
  return { kind: 'abandoned', text: 'abandoned in the menu' };
}
