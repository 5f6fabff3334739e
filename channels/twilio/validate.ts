import twilio from 'twilio';
import { twilioClient, withSignal } from './client';
import type { TwilioCredentials } from './credentials';
import { describeTwilioError } from './errors';

/** A REST failure in words: Twilio's code and meaning, or the network's reason. */
export function restFailure(err: unknown): { message: string; code?: string; status?: number } {
  if (err instanceof twilio.RestException) {
    const code = err.code !== undefined ? String(err.code) : undefined;
    return {
      message: code
        ? describeTwilioError(code, err.message)
        : `Twilio answered ${err.status}: ${err.message}`,
      ...(code ? { code } : {}),
      status: err.status,
    };
  }
  return { message: (err as Error).message || String(err) };
}

/**
 * Checks credentials before they are saved: the account must answer and be active, and a given
 * number must be one of its incoming numbers. (A Messaging Service SID is taken on trust: its
 * API lives on another host than the account's.)
 */
export async function validateTwilioCredentials(
  credentials: TwilioCredentials,
  apiBase: string | undefined,
  signal: AbortSignal,
): Promise<{ name?: string }> {
  const client = twilioClient(credentials, apiBase);
  try {
    const account = await withSignal(
      signal,
      client.api.v2010.accounts(credentials.accountSid).fetch(),
    );
    if (account.status !== 'active') throw new Error(`the Twilio account is ${account.status}`);
    if (credentials.phoneNumber) {
      const numbers = await withSignal(
        signal,
        client.incomingPhoneNumbers.list({ phoneNumber: credentials.phoneNumber, limit: 1 }),
      );
      if (!numbers.length)
        throw new Error(`${credentials.phoneNumber} is not a phone number of this Twilio account`);
    }
    return {};
  } catch (err) {
    throw new Error(restFailure(err).message);
  }
}
