import type { Json } from './openapi-kit';

const when = { type: ['string', 'null'], format: 'date-time' };
const minutes = { type: ['integer', 'null'], minimum: 1 };

/** Shapes of the complaint ladder for the OpenAPI document. */
export const ladderSchemas: Record<string, Json> = {
  Complaint: {
    type: 'object',
    required: ['id', 'reference', 'conversationId', 'category', 'level', 'status', 'createdAt'],
    properties: {
      id: { type: 'string', format: 'uuid' },
      reference: { type: 'string', description: 'what the customer quotes, e.g. C-26-0193' },
      conversationId: { type: 'string', format: 'uuid' },
      contactId: { type: 'string', format: 'uuid' },
      category: { type: ['string', 'null'] },
      severity: { type: ['string', 'null'] },
      level: { type: 'integer', minimum: 1, maximum: 4 },
      status: { enum: ['open', 'reopened', 'resolved', 'closed'] },
      description: { type: ['string', 'null'] },
      desiredOutcome: { type: ['string', 'null'] },
      offered: { type: ['string', 'null'] },
      rootCause: { type: ['string', 'null'] },
      resolution: { type: ['string', 'null'] },
      legalFlag: { type: 'boolean' },
      reopenCount: { type: 'integer' },
      csat: { type: ['integer', 'null'] },
      createdAt: { type: 'string', format: 'date-time' },
      updatedAt: { type: 'string', format: 'date-time' },
      resolvedAt: when,
    },
  },
  BusinessHours: {
    type: 'object',
    properties: {
      id: { type: 'string', format: 'uuid' },
      name: { type: 'string' },
      timeZone: { type: 'string', description: 'IANA zone, e.g. Asia/Tehran' },
      weekly: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            day: { type: 'integer', minimum: 0, maximum: 6, description: '0 = Sunday' },
            open: { type: 'string', description: 'HH:MM' },
            close: { type: 'string', description: 'HH:MM, 24:00 = end of day' },
          },
        },
      },
      holidays: { type: 'array', items: { type: 'string', format: 'date' } },
      createdAt: { type: 'string', format: 'date-time' },
    },
  },
  SlaPolicy: {
    type: 'object',
    properties: {
      id: { type: 'string', format: 'uuid' },
      name: { type: 'string' },
      businessHoursId: { type: ['string', 'null'] },
      firstResponseMinutes: minutes,
      nextResponseMinutes: minutes,
      resolutionMinutes: minutes,
      appliesTo: {
        type: 'object',
        description: 'empty: every conversation; each given list must match',
        properties: {
          tiers: { type: 'array', items: { type: 'string' } },
          priorities: { type: 'array', items: { type: 'string' } },
          inboxIds: { type: 'array', items: { type: 'string' } },
          channels: { type: 'array', items: { type: 'string' } },
          complaint: { type: 'boolean' },
          levels: { type: 'array', items: { type: 'integer' } },
        },
      },
      levelTargets: {
        type: 'object',
        description: 'complaint targets by level ("1".."4") over the defaults',
      },
      warningPercent: { type: 'integer' },
      position: { type: 'integer' },
      enabled: { type: 'boolean' },
    },
  },
  Rule: {
    type: 'object',
    properties: {
      id: { type: 'string', format: 'uuid' },
      name: { type: 'string' },
      event: {
        enum: [
          'conversation.created',
          'message.created',
          'conversation.updated',
          'sla.warning',
          'sla.breached',
          'complaint.created',
          'complaint.reopened',
          'csat.received',
        ],
      },
      conditions: {
        type: 'object',
        properties: {
          all: { type: 'array', items: { type: 'object' } },
          any: { type: 'array', items: { type: 'object' } },
        },
      },
      actions: { type: 'array', items: { type: 'object' } },
      options: { type: 'object', properties: { cooldownHours: { type: 'number' } } },
      enabled: { type: 'boolean' },
      position: { type: 'integer' },
      version: { type: 'integer' },
      builtIn: { type: ['string', 'null'], description: 'the shipped ladder rule it began as' },
    },
  },
  Webhook: {
    type: 'object',
    properties: {
      id: { type: 'string', format: 'uuid' },
      name: { type: 'string' },
      url: { type: 'string' },
      events: { type: 'array', items: { type: 'string' } },
      enabled: { type: 'boolean' },
      allowPrivate: { type: 'boolean' },
      secret: {
        type: 'string',
        description: 'only in the answer that created it or rotated it; stored sealed',
      },
      lastDelivery: { type: ['object', 'null'] },
    },
  },
};
