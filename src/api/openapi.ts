import { adminPaths } from './admin.controller';
import { authPaths } from './auth.controller';
import { contactPaths } from './contacts.controller';
import { conversationPaths } from './conversations.controller';
import { complaintPaths } from './complaints.controller';
import { automationPaths } from './automation.controller';
import { crmPaths } from './crm.controller';
import { customerPaths } from './customers.controller';
import { orderImportPaths } from './order-import.controller';
import { botPaths, botSchemas } from './bot.controller';
import { ladderSchemas } from './openapi-ladder';
import { mergePaths, ref, refOrNull, type Json } from './openapi-kit';

const refOrNullAddress = () => ({
  type: 'object',
  properties: { address: { type: 'string' }, name: { type: 'string' } },
});

/** OpenAPI 3.1 for /api/v1: shared shapes here, each controller's paths beside its routes. */
export function openApiDocument(publicUrl: string): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Switchboard API',
      version: '1.0.0',
      description:
        'Omnichannel inbox. Errors are {error:{code,message}}. Sockets and webhooks: see README.',
    },
    servers: [{ url: `${publicUrl}/api/v1` }],
    security: [{ bearer: [] }, { cookie: [] }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        cookie: { type: 'apiKey', in: 'cookie', name: 'sb_session' },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: { code: { type: 'string' }, message: { type: 'string' } },
            },
          },
        },
        Ref: refOrNull,
        Conversation: {
          type: 'object',
          required: ['id', 'status', 'channel', 'contact'],
          properties: {
            id: { type: 'string', format: 'uuid' },
            status: { enum: ['bot', 'open', 'pending', 'snoozed', 'resolved'] },
            channel: { enum: ['webchat', 'sms', 'voice', 'email', 'telegram', 'botframework'] },
            inboxId: { type: 'string' },
            contact: {
              type: 'object',
              properties: {
                id: { type: 'string' },
                name: { type: 'string' },
                tier: { type: ['string', 'null'], description: 'value tier (lists)' },
                segment: { type: ['string', 'null'], description: 'RFM segment (lists)' },
              },
            },
            priority: { enum: ['none', 'low', 'medium', 'high', 'urgent'] },
            assignee: refOrNull,
            team: refOrNull,
            level: { type: 'integer', minimum: 0, maximum: 4 },
            labels: { type: 'array', items: { type: 'string' } },
            subject: { type: ['string', 'null'] },
            unreadCount: { type: 'integer' },
            messageCount: { type: 'integer' },
            lastMessageAt: { type: ['string', 'null'], format: 'date-time' },
            lastMessagePreview: { type: ['string', 'null'] },
            waitingSince: { type: ['string', 'null'], format: 'date-time' },
            snoozedUntil: { type: ['string', 'null'], format: 'date-time' },
            firstReplyAt: { type: ['string', 'null'], format: 'date-time' },
            firstResponseDueAt: { type: ['string', 'null'], format: 'date-time' },
            nextResponseDueAt: { type: ['string', 'null'], format: 'date-time' },
            resolutionDueAt: { type: ['string', 'null'], format: 'date-time' },
            slaState: {
              enum: ['ok', 'warning', 'breached', null],
              description: 'the worst of its running SLA clocks; null when no SLA applies',
            },
            resolvedAt: { type: ['string', 'null'], format: 'date-time' },
            complaint: {
              type: ['object', 'null'],
              properties: {
                id: { type: 'string' },
                reference: { type: 'string' },
                level: { type: 'integer' },
                status: { type: 'string' },
                category: { type: ['string', 'null'] },
                legalFlag: { type: 'boolean' },
              },
            },
            csat: { type: ['integer', 'null'], minimum: 1, maximum: 5 },
            createdAt: { type: 'string', format: 'date-time' },
            updatedAt: { type: 'string', format: 'date-time' },
          },
        },
        Message: {
          type: 'object',
          required: ['id', 'conversationId', 'direction', 'text', 'private', 'status', 'createdAt'],
          properties: {
            id: { type: 'string', format: 'uuid' },
            conversationId: { type: 'string', format: 'uuid' },
            direction: { enum: ['in', 'out'] },
            senderType: { enum: ['contact', 'user', 'bot', 'system'] },
            sender: refOrNull,
            text: { type: 'string' },
            html: { type: ['string', 'null'] },
            private: { type: 'boolean' },
            status: { enum: ['received', 'queued', 'sent', 'delivered', 'read', 'failed'] },
            failureReason: { type: ['string', 'null'] },
            attachments: { type: 'array', items: ref('Attachment') },
            buttons: {
              type: 'array',
              description:
                'choices offered with the message (the satisfaction question, a bot menu)',
              items: {
                type: 'object',
                properties: { label: { type: 'string' }, value: { type: 'string' } },
              },
            },
            editedAt: {
              type: ['string', 'null'],
              format: 'date-time',
              description: 'set when the customer edited the message on their side',
            },
            createdAt: { type: 'string', format: 'date-time' },
            email: {
              type: 'object',
              description:
                'e-mail messages: `text` is the new part of a reply; `fullText` the whole text ' +
                'with the quoted history ("show quoted"); `recipients` when only the first ' +
                '`kept` of To and CC were kept; outbound: the To/CC/BCC/subject the agent chose',
              properties: {
                subject: { type: ['string', 'null'] },
                from: refOrNullAddress(),
                to: { type: 'array', items: refOrNullAddress() },
                cc: { type: 'array', items: refOrNullAddress() },
                bcc: { type: 'array', items: refOrNullAddress() },
                fullText: { type: 'string' },
                recipients: {
                  type: 'object',
                  properties: {
                    to: { type: 'integer' },
                    cc: { type: 'integer' },
                    kept: { type: 'integer' },
                  },
                },
                problem: { type: 'string', description: 'what could not be read (malformed MIME)' },
                replyAll: { type: 'boolean' },
              },
            },
            autoReply: {
              type: 'boolean',
              description:
                'sent by a machine (out-of-office, Auto-Submitted, Precedence: bulk, a delivery ' +
                'report): the bot and automation rules never answer it',
            },
            bounce: {
              type: 'object',
              description: 'a delivery report: the address that failed and why',
              properties: {
                recipient: { type: 'string' },
                status: { type: 'string', description: 'enhanced status code, e.g. 5.1.1' },
                hard: { type: 'boolean', description: 'permanent: the address is undeliverable' },
                diagnostic: { type: 'string' },
              },
            },
          },
        },
        Attachment: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            fileName: { type: 'string' },
            contentType: { type: 'string' },
            size: { type: 'integer' },
            url: { type: 'string' },
            state: {
              enum: ['stored', 'pending', 'failed', 'too_large'],
              description: 'pending while a job fetches the file from the provider',
            },
            error: { type: ['string', 'null'] },
            contentId: {
              type: 'string',
              description: 'an inline part: the e-mail HTML shows it where it says cid:<contentId>',
            },
          },
        },
        Contact: {
          type: 'object',
          required: ['id', 'name', 'identities'],
          properties: {
            id: { type: 'string', format: 'uuid' },
            name: { type: 'string' },
            identities: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  kind: { enum: ['phone', 'email', 'telegram', 'webchat', 'botframework'] },
                  value: { type: 'string' },
                  state: {
                    enum: ['ok', 'blocked', 'opted_out', 'undeliverable'],
                    description: 'whether the customer can be reached there',
                  },
                  stateReason: { type: ['string', 'null'] },
                },
              },
            },
            language: { type: ['string', 'null'] },
            preferredChannel: { type: ['string', 'null'] },
            birthday: { type: ['string', 'null'], format: 'date' },
            tier: { type: ['string', 'null'] },
            lifetimeValue: {
              type: ['string', 'null'],
              description: "sum of the contact's orders, refunds included",
            },
            clv: {
              type: ['object', 'null'],
              description: 'the latest customer-value prediction; null before a model was fitted',
              properties: {
                asOf: { type: 'string', format: 'date' },
                probabilityAlive: { type: 'number' },
                expectedPurchases: { type: 'number' },
                horizonDays: { type: 'integer' },
                predictedValue: { type: 'string' },
                segment: { type: 'string' },
                rfm: { type: 'string', description: 'recency, frequency, monetary quintiles' },
                historicValue: { type: 'string' },
                fittedAt: { type: 'string', format: 'date-time' },
              },
            },
            notes: { type: 'string' },
            customAttributes: { type: 'object' },
          },
        },
        Merge: {
          type: 'object',
          properties: {
            id: { type: 'string', format: 'uuid' },
            targetId: { type: 'string', format: 'uuid' },
            sourceId: { type: 'string', format: 'uuid' },
            moved: { type: 'object' },
            createdAt: { type: 'string', format: 'date-time' },
            undoneAt: { type: ['string', 'null'], format: 'date-time' },
            undoableUntil: { type: 'string', format: 'date-time' },
          },
        },
        User: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            email: { type: 'string' },
            name: { type: 'string' },
            role: { enum: ['admin', 'supervisor', 'agent'] },
            locale: { enum: ['en', 'fa', 'ru'] },
            active: { type: 'boolean' },
            inboxIds: { type: 'array', items: { type: 'string' } },
            teamIds: { type: 'array', items: { type: 'string' } },
            phone: {
              type: ['string', 'null'],
              description: 'E.164; calls forwarded by the phone menu ring it while onDuty',
            },
            onDuty: { type: 'boolean' },
          },
        },
        Team: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            name: { type: 'string' },
            description: { type: 'string' },
            memberIds: { type: 'array', items: { type: 'string' } },
          },
        },
        Inbox: {
          type: 'object',
          description:
            'Agents see id, name, channel, enabled and botEnabled of their inboxes; admins see all ' +
            'fields. Credentials are write-only: each one set appears in settings as "••••••••" ' +
            '(send it back unchanged to keep it, null to remove it).',
          properties: {
            id: { type: 'string' },
            name: { type: 'string' },
            channel: { enum: ['webchat', 'sms', 'voice', 'email', 'telegram', 'botframework'] },
            enabled: { type: 'boolean' },
            botEnabled: { type: 'boolean' },
            settings: {
              type: 'object',
              description:
                'Plain settings and write-only credentials (masked on read). sms/voice credentials: ' +
                'accountSid, authToken, phoneNumber (E.164) or messagingServiceSid (sms only). voice ' +
                'settings: prompts {en|ru|fa: {greeting, menu, …, recordings: {key: attachmentId}}}, ' +
                'missedCallSms (boolean), ringSeconds, maxRecordSeconds.',
            },
            credentialsSet: { type: 'array', items: { type: 'string' } },
            routingKey: { type: ['string', 'null'] },
            source: { enum: ['api', 'env'] },
            health: {
              type: 'object',
              properties: {
                status: { enum: ['unknown', 'connected', 'failing'] },
                lastError: { type: ['string', 'null'] },
                lastErrorAt: { type: ['string', 'null'], format: 'date-time' },
                lastOkAt: { type: ['string', 'null'], format: 'date-time' },
                lastMessageInAt: { type: ['string', 'null'], format: 'date-time' },
                detail: { type: 'object' },
              },
            },
            webhookUrls: { type: 'array', items: { type: 'string' } },
            memberIds: { type: 'array', items: { type: 'string' } },
          },
        },
        ...ladderSchemas,
        ...botSchemas,
        Canned: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            shortCode: { type: 'string' },
            content: { type: 'string' },
          },
        },
      },
    },
    paths: mergePaths(
      {
        ...authPaths,
        ...conversationPaths,
        ...contactPaths,
        ...adminPaths,
        ...complaintPaths,
        ...automationPaths,
        ...crmPaths,
        ...orderImportPaths,
        ...botPaths(publicUrl),
      },
      customerPaths,
    ),
  };
}
