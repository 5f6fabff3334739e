import twilio from 'twilio';
import type { VerifyResult, WebhookRequest } from '../types';

/** The form fields of a Twilio webhook as a flat string map (what Twilio signs). */
export function formParams(req: Pick<WebhookRequest, 'body'>): Record<string, string> {
  const params: Record<string, string> = {};
  if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) return params;
  for (const [key, value] of Object.entries(req.body)) {
    if (typeof value === 'string') params[key] = value;
  }
  return params;
}

/**
 * `X-Twilio-Signature` checked with the twilio library: HMAC-SHA1 with the inbox's Auth Token
 * over the URL Twilio called (PUBLIC_URL + path + query, which the router gives as `req.url`) and
 * every posted parameter, compared in constant time. A JSON body is signed through the
 * `bodySHA256` query parameter instead. Nothing else is trusted: a request for another URL, with
 * one parameter changed, or signed with another account's token is refused.
 */
export function verifyTwilioSignature(req: WebhookRequest, authToken: string): VerifyResult {
  const signature = req.headers['x-twilio-signature'];
  if (!signature) return { ok: false, reason: 'missing X-Twilio-Signature' };
  const algorithm = twilio.getSignatureAlgorithm(
    req.headers['x-twilio-webhooks-signature-settings'],
  );
  let valid: boolean;
  try {
    valid = new URL(req.url).searchParams.has('bodySHA256')
      ? twilio.validateRequestWithBody(
          authToken,
          signature,
          req.url,
          req.rawBody.toString('utf8'),
          algorithm,
        )
      : twilio.validateRequest(authToken, signature, req.url, formParams(req), algorithm);
  } catch {
    valid = false;
  }
  return valid
    ? { ok: true }
    : {
        ok: false,
        reason: 'X-Twilio-Signature does not match this URL, these parameters and token',
      };
}
