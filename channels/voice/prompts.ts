/**
 * What the phone menu says, per language. Admins change any of it per inbox
 * (`settings.prompts[lang][key]`) or replace a prompt with a recording they uploaded
 * (`settings.prompts[lang].recordings[key]` = an attachment id), played with `<Play>`.
 * Twilio has no Persian voice: a Persian prompt is only heard as a recording; without one the
 * caller hears the English prompt.
 */

export const CALL_LANGUAGES = ['en', 'ru', 'fa'] as const;
export type CallLanguage = (typeof CALL_LANGUAGES)[number];

/** The keys pressed in the language menu, in the order they are offered. */
export const LANGUAGE_DIGITS: Readonly<Record<CallLanguage, string>> = {
  en: '1',
  ru: '2',
  fa: '3',
};

export const PROMPT_KEYS = [
  'languageMenu',
  'greeting',
  'menu',
  'invalid',
  'voicemail',
  'thanks',
  'callback',
  'connecting',
  'noAnswer',
  'closed',
  'missedCallSms',
] as const;
export type PromptKey = (typeof PROMPT_KEYS)[number];

/** Twilio's text-to-speech for a language, where it has one. */
export const VOICES: Readonly<
  Record<
    CallLanguage,
    { voice: 'Polly.Joanna' | 'Polly.Tatyana'; language: 'en-US' | 'ru-RU' } | null
  >
> = {
  en: { voice: 'Polly.Joanna', language: 'en-US' },
  ru: { voice: 'Polly.Tatyana', language: 'ru-RU' },
  fa: null,
};

/** Speech recognition language of `<Gather>` for each menu language. */
export const SPEECH_LANGUAGES: Readonly<Record<CallLanguage, 'en-US' | 'ru-RU' | 'fa-IR'>> = {
  en: 'en-US',
  ru: 'ru-RU',
  fa: 'fa-IR',
};

export const LANGUAGE_NAMES: Readonly<Record<CallLanguage, string>> = {
  en: 'English',
  ru: 'Russian',
  fa: 'Persian',
};

/** `{opens}` in `closed` is replaced by when the business opens, in the caller's language. */
export const DEFAULT_PROMPTS: Readonly<Record<CallLanguage, Record<PromptKey, string>>> = {
  en: {
    languageMenu: 'For English, press 1.',
    greeting: 'Thank you for calling.',
    menu: 'To leave a message, press 1. To be called back, press 2. To speak to someone, press 0.',
    invalid: 'Sorry, I did not understand that.',
    voicemail: 'Please leave your message after the tone, then hang up or press the pound key.',
    thanks: 'Thank you, we have your message. Goodbye.',
    callback: 'Thank you. We will call you back at this number. Goodbye.',
    connecting: 'Connecting you now.',
    noAnswer: 'Sorry, nobody can take your call right now.',
    closed: 'We are closed now. We open again {opens}.',
    missedCallSms:
      'Sorry we missed your call. Reply to this message and we will help you, or call us again.',
  },
  ru: {
    languageMenu: 'Для русского языка нажмите 2.',
    greeting: 'Спасибо за звонок.',
    menu: 'Чтобы оставить сообщение, нажмите 1. Чтобы мы вам перезвонили, нажмите 2. Чтобы поговорить с сотрудником, нажмите 0.',
    invalid: 'Извините, я вас не понял.',
    voicemail: 'Оставьте сообщение после сигнала, затем положите трубку или нажмите решётку.',
    thanks: 'Спасибо, ваше сообщение записано. До свидания.',
    callback: 'Спасибо. Мы перезвоним вам на этот номер. До свидания.',
    connecting: 'Соединяю.',
    noAnswer: 'К сожалению, сейчас никто не может ответить.',
    closed: 'Сейчас мы закрыты. Мы снова работаем {opens}.',
    missedCallSms:
      'Извините, мы пропустили ваш звонок. Ответьте на это сообщение, и мы поможем, или позвоните снова.',
  },
  fa: {
    languageMenu: 'برای فارسی، ۳ را فشار دهید.',
    greeting: 'از تماس شما سپاسگزاریم.',
    menu: 'برای گذاشتن پیام ۱، برای درخواست تماس ۲، و برای صحبت با کارشناس ۰ را فشار دهید.',
    invalid: 'متأسفیم، متوجه نشدیم.',
    voicemail: 'لطفاً پس از صدای بوق پیام خود را بگذارید و سپس تماس را قطع کنید.',
    thanks: 'سپاسگزاریم، پیام شما ثبت شد. خدانگهدار.',
    callback: 'سپاسگزاریم. با همین شماره با شما تماس می‌گیریم. خدانگهدار.',
    connecting: 'در حال اتصال.',
    noAnswer: 'متأسفیم، در حال حاضر کسی پاسخگو نیست.',
    closed: 'در حال حاضر تعطیل هستیم. {opens} دوباره در خدمتیم.',
    missedCallSms:
      'متأسفیم که تماس شما را از دست دادیم. به همین پیام پاسخ دهید یا دوباره تماس بگیرید.',
  },
};

/** `settings.prompts` of a Phone inbox: texts and recordings per language, all optional. */
export type PromptSettings = Partial<
  Record<
    CallLanguage,
    Partial<Record<PromptKey, string>> & { recordings?: Partial<Record<PromptKey, string>> }
  >
>;

export function readPromptSettings(value: unknown): PromptSettings {
  if (typeof value !== 'object' || value === null) return {};
  const out: PromptSettings = {};
  for (const lang of CALL_LANGUAGES) {
    const raw = (value as Record<string, unknown>)[lang];
    if (typeof raw !== 'object' || raw === null) continue;
    const entry: Partial<Record<PromptKey, string>> & {
      recordings?: Partial<Record<PromptKey, string>>;
    } = {};
    const recordings = (raw as Record<string, unknown>)['recordings'];
    for (const key of PROMPT_KEYS) {
      const text = (raw as Record<string, unknown>)[key];
      if (typeof text === 'string' && text.trim()) entry[key] = text.trim();
      const recording =
        typeof recordings === 'object' && recordings !== null
          ? (recordings as Record<string, unknown>)[key]
          : undefined;
      if (typeof recording === 'string' && /^[0-9a-f-]{36}$/i.test(recording))
        (entry.recordings ??= {})[key] = recording;
    }
    out[lang] = entry;
  }
  return out;
}

/** What to play for a prompt: an uploaded recording, or a text and the voice to say it in. */
export type Prompt =
  | { kind: 'play'; recordingId: string }
  | { kind: 'say'; text: string; voice: NonNullable<(typeof VOICES)[CallLanguage]> };

export function promptFor(
  settings: PromptSettings,
  language: CallLanguage,
  key: PromptKey,
  vars: Record<string, string> = {},
): Prompt {
  const recordingId = settings[language]?.recordings?.[key];
  // A prompt with a time in it ({opens}) cannot be a fixed recording.
  if (recordingId && !DEFAULT_PROMPTS[language][key].includes('{'))
    return { kind: 'play', recordingId };
  const spoken: CallLanguage = VOICES[language] ? language : 'en';
  const template = settings[spoken]?.[key] ?? DEFAULT_PROMPTS[spoken][key];
  const text = template.replace(/\{(\w+)\}/g, (_, name: string) => vars[name] ?? '');
  return { kind: 'say', text, voice: VOICES[spoken]! };
}

/** A plain text in the language (the follow-up SMS), the admin's when set. */
export function textFor(settings: PromptSettings, language: CallLanguage, key: PromptKey): string {
  return settings[language]?.[key] ?? DEFAULT_PROMPTS[language][key];
}

export function isCallLanguage(value: unknown): value is CallLanguage {
  return typeof value === 'string' && (CALL_LANGUAGES as readonly string[]).includes(value);
}
