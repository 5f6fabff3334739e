import type { CallLanguage } from './prompts';

/**
 * Who turns a voicemail into text. The voicemail message is stored with `pendingText` at once;
 * a transcriber that answers later by callback replaces it with the transcript (an edit of the
 * message, keyed by the recording). Another service (one that knows Persian and Russian) can be
 * plugged in by implementing this and putting it first in the list the channel is given.
 */
export interface Transcriber {
  readonly name: string;
  supports(language: CallLanguage): boolean;
  /** Attributes the `<Record>` verb needs so the transcript is sent to `callbackUrl`. */
  recordAttributes(callbackUrl: string): { transcribe?: boolean; transcribeCallback?: string };
  /** The voicemail's text until a transcript arrives, or for good when none will. */
  pendingText(language: CallLanguage): string;
}

/** Twilio's own transcription of `<Record>`: English only, recordings up to two minutes. */
export const twilioTranscriber: Transcriber = {
  name: 'twilio',
  supports: (language) => language === 'en',
  recordAttributes: (callbackUrl) => ({ transcribe: true, transcribeCallback: callbackUrl }),
  pendingText: () => '',
};

const NO_TRANSCRIPT: Readonly<Record<CallLanguage, string>> = {
  en: 'Voicemail without a transcript.',
  ru: 'Голосовое сообщение без расшифровки: автоматическая расшифровка русской речи недоступна.',
  fa: 'پیام صوتی بدون متن: رونویسی خودکار گفتار فارسی در دسترس نیست.',
};

/** For languages nobody transcribes: the message says so, in the caller's language. */
export const noTranscriber: Transcriber = {
  name: 'none',
  supports: () => true,
  recordAttributes: () => ({}),
  pendingText: (language) => NO_TRANSCRIPT[language],
};

export function transcriberFor(
  language: CallLanguage,
  transcribers: readonly Transcriber[] = [twilioTranscriber],
): Transcriber {
  return transcribers.find((t) => t.supports(language)) ?? noTranscriber;
}

/** The transcript of a `transcribeCallback`, or why there is none. */
export function transcriptOf(params: Record<string, string>): string {
  if (params['TranscriptionStatus'] === 'completed' && params['TranscriptionText']?.trim())
    return params['TranscriptionText'].trim();
  return 'No transcript: Twilio could not transcribe this recording.';
}
