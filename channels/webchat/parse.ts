import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { InboundMessage } from '../types';
import { cleanDeep } from '../../src/text/clean';

export const MAX_TEXT = 4000;

export const visitorMessageSchema = z
  .object({
    text: z
      .string()
      .trim()
      .min(1, 'text is empty')
      .max(MAX_TEXT, `text is longer than ${MAX_TEXT} characters`),
    /** Optional id chosen by the widget so a resend after a lost acknowledgement is not doubled. */
    clientId: z.string().min(1).max(64).optional(),
    /** The widget's language (`fa`, `ru-RU`): a hint for the customer's profile and the bot. */
    locale: z
      .string()
      .regex(/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/)
      .optional(),
  })
  .strict();

export const visitorContactSchema = z
  .object({
    name: z.string().trim().max(200).optional(),
    email: z.string().trim().email().max(320),
  })
  .strict();

export type ParseResult<T> = { ok: true; value: T } | { ok: false; message: string };

function describe(error: z.ZodError): string {
  return error.issues
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}

/** A visitor's `message` socket event → the common inbound shape. */
export function parseVisitorMessage(
  visitorId: string,
  payload: unknown,
): ParseResult<InboundMessage> {
  const parsed = visitorMessageSchema.safeParse(cleanDeep(payload));
  if (!parsed.success) return { ok: false, message: describe(parsed.error) };
  const { text, clientId, locale } = parsed.data;
  return {
    ok: true,
    value: {
      sender: { kind: 'webchat', value: visitorId },
      providerMessageId: `${visitorId}:${clientId ?? randomUUID()}`,
      text,
      attachments: [],
      ...(locale ? { profile: { language: locale.toLowerCase().split(/[-_]/)[0]! } } : {}),
    },
  };
}

export function parseVisitorContact(
  payload: unknown,
): ParseResult<z.infer<typeof visitorContactSchema>> {
  const parsed = visitorContactSchema.safeParse(cleanDeep(payload));
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, message: describe(parsed.error) };
}
