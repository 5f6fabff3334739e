/**
 * What Twilio's error codes mean, in words an agent can act on. Delivery failures arrive as
 * `ErrorCode` on status callbacks; the 2xxxx codes come back from the REST API when sending.
 * Titles follow Twilio's error catalogue; the rest of the sentence says what to do.
 */
export const TWILIO_ERRORS: Readonly<Record<string, string>> = {
  '20003': 'Twilio refused the credentials (Account SID or Auth Token is wrong)',
  '20404': 'Twilio does not know this resource',
  '20429': 'Twilio is rate limiting this account; it will be tried again',
  '21211': 'the number is not a valid phone number',
  '21408': 'sending SMS to this country is not enabled on the Twilio account (Geo Permissions)',
  '21601': 'the number cannot receive SMS',
  '21606': 'this inbox’s number cannot send SMS (not SMS-capable or not on this account)',
  '21610':
    'the customer has opted out (replied STOP); they must reply START before we may text them',
  '21612': 'Twilio cannot route an SMS between these two numbers',
  '21614': 'the number is not a mobile number and cannot receive SMS',
  '21617': 'the message is longer than 1,600 characters',
  '21620': 'a media URL could not be used (not reachable or not a supported file)',
  '30001': 'the message queue overflowed at Twilio; try again later',
  '30002': 'the Twilio account is suspended',
  '30003': 'unreachable destination handset (switched off or out of coverage)',
  '30004': 'the message was blocked (the recipient blocked it or the carrier barred it)',
  '30005': 'unknown destination handset (the number does not exist)',
  '30006': 'landline or unreachable carrier: the number cannot receive SMS',
  '30007': 'the carrier filtered the message as spam',
  '30008': 'unknown error from the carrier',
  '30019': 'the media is too large for this carrier',
  '30034': 'the sending number is not registered for A2P 10DLC messaging',
};

/** "Twilio 30003: unreachable destination handset …", or Twilio's own words for other codes. */
export function describeTwilioError(code: string | number, fallback?: string): string {
  const meaning = TWILIO_ERRORS[String(code)] ?? fallback ?? 'see Twilio’s error catalogue';
  return `Twilio ${code}: ${meaning}`;
}

/** Codes after which sending again cannot succeed (the rest, 5xx and timeouts, may). */
const PERMANENT = new Set([
  '20003',
  '20404',
  '21211',
  '21408',
  '21601',
  '21606',
  '21610',
  '21612',
  '21614',
  '21617',
  '21620',
  '30002',
  '30034',
]);

export function isPermanentTwilioError(code: string | number, httpStatus?: number): boolean {
  if (PERMANENT.has(String(code))) return true;
  // Other 4xx answers are the request's fault (429 aside): retrying the same request fails again.
  return httpStatus !== undefined && httpStatus >= 400 && httpStatus < 500 && httpStatus !== 429;
}
