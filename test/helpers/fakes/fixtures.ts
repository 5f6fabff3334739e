import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Update } from 'telegraf/types';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures');

export const TELEGRAM_FIXTURES = [
  'message-text-fa',
  'message-text-ru',
  'message-photo-caption',
  'message-album-1',
  'message-album-2',
  'message-document',
  'message-voice',
  'message-audio',
  'message-video',
  'message-video-note',
  'message-sticker',
  'message-location',
  'message-venue',
  'message-contact',
  'message-reply',
  'edited-message',
  'callback-query',
  'message-start-deep-link',
  'my-chat-member-kicked',
  'my-chat-member-member',
  'message-group',
  'poll',
] as const;
export type TelegramFixtureName = (typeof TELEGRAM_FIXTURES)[number];

export const TWILIO_FIXTURES = [
  'sms-inbound-en',
  'sms-inbound-fa',
  'sms-inbound-stop',
  'sms-inbound-start',
  'sms-inbound-stop-no-service',
  'mms-inbound-two-media',
  'status-queued',
  'status-sent',
  'status-delivered',
  'status-undelivered-30003',
  'status-failed-30007',
  'voice-incoming-call',
  'voice-gather-digits',
  'voice-gather-speech',
  'voice-recording-completed',
  'voice-transcription-completed',
  'voice-dial-no-answer',
  'voice-dial-completed',
  'voice-status-completed',
  'voice-status-no-answer',
  'voice-status-busy',
] as const;
export type TwilioFixtureName = (typeof TWILIO_FIXTURES)[number];

/** A Telegram Update as the Bot API sends it (fresh copy on every call). */
export function telegramFixture(name: TelegramFixtureName): Update {
  return JSON.parse(readFileSync(join(fixtures, 'telegram', `${name}.json`), 'utf8'));
}

/** The form fields of a Twilio webhook, as a flat string map (fresh copy on every call). */
export function twilioFixture(name: TwilioFixtureName): Record<string, string> {
  const parsed: unknown = JSON.parse(
    readFileSync(join(fixtures, 'twilio', `${name}.json`), 'utf8'),
  );
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed ?? {})) {
    if (typeof value !== 'string') throw new Error(`${name}: ${key} is not a string`);
    params[key] = value;
  }
  return params;
}
