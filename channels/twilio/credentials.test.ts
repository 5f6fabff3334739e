import { describe, expect, it } from 'vitest';
import { ChannelEnvError } from '../types';
import { smsCredentials } from '../sms/definition';
import { twilioCredentialsShape, twilioFromEnv, twilioRoutingKey } from './credentials';

const SID = 'ACa1b2c3d4e5f60718293a4b5c6d7e8f90';
const TOKEN = '0123456789abcdef0123456789abcdef';

describe('twilioFromEnv', () => {
  it('is off when none of the three is set', () => {
    expect(twilioFromEnv({}, 'SMS')).toBeUndefined();
    expect(twilioFromEnv({ TWILIO_API_BASE: 'http://127.0.0.1:1' }, 'SMS')).toBeUndefined();
  });

  it('describes the number’s inbox, the number in E.164', () => {
    expect(
      twilioFromEnv(
        {
          TWILIO_ACCOUNT_SID: SID,
          TWILIO_AUTH_TOKEN: TOKEN,
          TWILIO_PHONE_NUMBER: '+1 (555) 555-0100',
        },
        'Phone',
      ),
    ).toEqual({
      name: 'Phone +15555550100',
      credentials: { accountSid: SID, authToken: TOKEN, phoneNumber: '+15555550100' },
    });
  });

  it.each([
    [{ TWILIO_AUTH_TOKEN: TOKEN, TWILIO_PHONE_NUMBER: '+15555550100' }, 'TWILIO_ACCOUNT_SID'],
    [{ TWILIO_ACCOUNT_SID: SID, TWILIO_PHONE_NUMBER: '+15555550100' }, 'TWILIO_AUTH_TOKEN'],
    [{ TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: TOKEN }, 'TWILIO_PHONE_NUMBER'],
    [
      {
        TWILIO_ACCOUNT_SID: 'SK123',
        TWILIO_AUTH_TOKEN: TOKEN,
        TWILIO_PHONE_NUMBER: '+15555550100',
      },
      'TWILIO_ACCOUNT_SID',
    ],
    [
      { TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: 'short', TWILIO_PHONE_NUMBER: '+15555550100' },
      'TWILIO_AUTH_TOKEN',
    ],
    [
      { TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: TOKEN, TWILIO_PHONE_NUMBER: '5550100' },
      'TWILIO_PHONE_NUMBER',
    ],
  ])('set but wrong (%j) stops start-up naming %s', (env, variable) => {
    let thrown: unknown;
    try {
      twilioFromEnv(env, 'SMS');
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ChannelEnvError);
    expect((thrown as ChannelEnvError).variable).toBe(variable);
  });
});

describe('credentials', () => {
  it('normalise the number (Persian digits too) and route by it, or by the Messaging Service', () => {
    const parsed = twilioCredentialsShape.parse({
      accountSid: SID,
      authToken: TOKEN,
      phoneNumber: '+۱ ۵۵۵ ۵۵۵ ۰۱۰۰',
    });
    expect(parsed.phoneNumber).toBe('+15555550100');
    expect(twilioRoutingKey(parsed)).toBe('+15555550100');
    const service = smsCredentials.parse({
      accountSid: SID,
      authToken: TOKEN,
      phoneNumber: '',
      messagingServiceSid: 'MG5f4e3d2c1b0a99887766554433221100',
    });
    expect(twilioRoutingKey(service)).toBe('MG5f4e3d2c1b0a99887766554433221100');
  });

  it('an SMS inbox needs a number or a Messaging Service; nothing else is accepted', () => {
    expect(smsCredentials.safeParse({ accountSid: SID, authToken: TOKEN }).success).toBe(false);
    expect(
      smsCredentials.safeParse({
        accountSid: SID,
        authToken: TOKEN,
        phoneNumber: '+15555550100',
        extra: 1,
      }).success,
    ).toBe(false);
  });
});
