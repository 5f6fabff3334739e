import { z } from 'zod';
import { OUTBOUND_CHANNELS } from '../crm/outreach.service';

const uuid = z.string().uuid('must be a UUID');
const outbound = Object.keys(OUTBOUND_CHANNELS) as [keyof typeof OUTBOUND_CHANNELS];

export const suggestionQuery = z
  .object({ limit: z.coerce.number().int().min(1).max(200).default(50) })
  .strict();
export const acceptBody = z.object({ targetId: uuid.optional() }).strict();
export const startConversationBody = z
  .object({ channel: z.enum(outbound).optional(), inboxId: uuid.optional() })
  .strict();
