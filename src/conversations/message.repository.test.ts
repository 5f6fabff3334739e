import { describe, expect, it } from 'vitest';
import type { MessageStatus } from '../db/schema';
import { statusMovesForward } from './message.repository';

// Delivery reports (Twilio's status callbacks among them) arrive in any order.
describe('statusMovesForward', () => {
  it.each([
    ['queued', 'sent', true],
    ['sent', 'delivered', true],
    ['queued', 'delivered', true],
    ['delivered', 'sent', false],
    ['delivered', 'failed', false],
    ['sent', 'failed', true],
    ['failed', 'sent', false],
    // Twilio can still report "delivered" after "undelivered" (the carrier retried).
    ['failed', 'delivered', true],
    ['delivered', 'read', true],
    ['read', 'delivered', false],
    ['sent', 'sent', false],
  ] as [MessageStatus, MessageStatus, boolean][])('%s → %s: %s', (from, to, forward) => {
    expect(statusMovesForward(from, to)).toBe(forward);
  });
});
