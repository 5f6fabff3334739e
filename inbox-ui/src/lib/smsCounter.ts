import { smsSegments, type SegmentInfo } from '../../../channels/twilio/segments';
import type { Channel } from '../api/types';

export type { SegmentInfo };

/** Channels whose replies go out as SMS (a phone conversation's replies too). */
export function repliesAreSms(channel: Channel): boolean {
  return channel === 'sms' || channel === 'voice';
}

/**
 * The composer's counter: segments and encoding of the reply as typed, by the same function the
 * server's Twilio channel uses. Undefined for an empty text or a channel that is not SMS.
 */
export function smsCounter(channel: Channel, text: string): SegmentInfo | undefined {
  if (!repliesAreSms(channel) || !text.trim()) return undefined;
  return smsSegments(text.trim());
}
