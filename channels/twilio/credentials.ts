import { z } from 'zod';
import { ChannelEnvError, type EnvInboxSpec } from '../types';
import { normalizePhone } from './phone';

const empty = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const phoneNumber = z.preprocess(
  empty,
  z
    .string()
    .max(40)
    .transform((value, ctx) => {
      const e164 = normalizePhone(value);
      if (!e164) {
        ctx.addIssue({
          code: 'custom',
          message: 'must be a phone number in international format, e.g. +15555550100',
        });
        return z.NEVER;
      }
      return e164;
    })
    .optional(),
);

/** What a Twilio inbox (SMS or Phone) needs: the account, and the number or Messaging Service. */
export const twilioCredentialsShape = z
  .object({
    accountSid: z
      .string()
      .trim()
      .regex(/^AC[0-9a-fA-F]{32}$/, 'must be an Account SID: AC and 32 hexadecimal digits'),
    authToken: z.string().trim().min(16, 'must be the account’s Auth Token').max(200),
    phoneNumber,
    messagingServiceSid: z.preprocess(
      empty,
      z
        .string()
        .trim()
        .regex(
          /^MG[0-9a-fA-F]{32}$/,
          'must be a Messaging Service SID: MG and 32 hexadecimal digits',
        )
        .optional(),
    ),
  })
  .strict();

export type TwilioCredentials = z.infer<typeof twilioCredentialsShape>;

export const TWILIO_CREDENTIAL_KEYS = [
  'accountSid',
  'authToken',
  'phoneNumber',
  'messagingServiceSid',
] as const;

/** The number (E.164) or, without one, the Messaging Service: unique per kind. */
export function twilioRoutingKey(c: TwilioCredentials): string | null {
  return c.phoneNumber ?? c.messagingServiceSid ?? null;
}

/**
 * TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_PHONE_NUMBER describe one number, which gets
 * an SMS inbox and a Phone inbox: each kind's `fromEnv` returns its own. All three or none.
 */
export function twilioFromEnv(
  env: Readonly<Record<string, unknown>>,
  name: string,
): EnvInboxSpec | undefined {
  const read = (key: string) => {
    const v = env[key];
    return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
  };
  const sid = read('TWILIO_ACCOUNT_SID');
  const token = read('TWILIO_AUTH_TOKEN');
  const number = read('TWILIO_PHONE_NUMBER');
  if (!sid && !token && !number) return undefined;
  if (!sid)
    throw new ChannelEnvError(
      'TWILIO_ACCOUNT_SID',
      'must be set with TWILIO_AUTH_TOKEN and TWILIO_PHONE_NUMBER',
    );
  if (!token) throw new ChannelEnvError('TWILIO_AUTH_TOKEN', 'must be set with TWILIO_ACCOUNT_SID');
  if (!number)
    throw new ChannelEnvError('TWILIO_PHONE_NUMBER', 'must be set with TWILIO_ACCOUNT_SID');
  const parsed = twilioCredentialsShape.safeParse({
    accountSid: sid,
    authToken: token,
    phoneNumber: number,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = {
      accountSid: 'TWILIO_ACCOUNT_SID',
      authToken: 'TWILIO_AUTH_TOKEN',
      phoneNumber: 'TWILIO_PHONE_NUMBER',
    }[String(issue.path[0])];
    throw new ChannelEnvError(variable ?? 'TWILIO_ACCOUNT_SID', issue.message);
  }
  return { name: `${name} ${parsed.data.phoneNumber}`, credentials: parsed.data };
}
