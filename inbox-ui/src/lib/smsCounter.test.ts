import { describe, expect, it } from 'vitest';
import { smsCounter } from './smsCounter';

describe('smsCounter', () => {
  it.each([
    ['sms', 'Hello', { encoding: 'GSM-7', segments: 1, remaining: 155 }],
    ['voice', 'سلام', { encoding: 'UCS-2', segments: 1, remaining: 66 }],
    ['sms', 'Привет '.repeat(12), { encoding: 'UCS-2', segments: 2 }],
    ['sms', 'Price: 5€ {ok}', { encoding: 'GSM-7', units: 17 }],
  ] as const)('%s %j', (channel, text, expected) => {
    expect(smsCounter(channel, text)).toMatchObject(expected);
  });

  it('counts nothing for other channels or an empty reply', () => {
    expect(smsCounter('telegram', 'Hello')).toBeUndefined();
    expect(smsCounter('sms', '   ')).toBeUndefined();
  });
});
