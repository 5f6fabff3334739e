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
  const { text, clientId } = parsed.data;
  return {
    ok: true,
    value: {
      sender: { kind: 'webchat', value: visitorId },
      providerMessageId: `${visitorId}:${clientId ?? randomUUID()}`,
      text,
      attachments: [],
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
