import { z } from 'zod';
import * as s from './schemas';

type Json = Record<string, unknown>;

const schema = (zod: z.ZodTypeAny, io: 'input' | 'output' = 'input'): Json =>
  z.toJSONSchema(zod, { io, unrepresentable: 'any' }) as Json;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (body: Json) => ({ content: { 'application/json': { schema: body } } });
const ok = (description: string, body?: Json) => ({ description, ...(body ? json(body) : {}) });
const error = { description: 'error', ...json(ref('Error')) };
const items = (name: string) => ({
  type: 'object',
  properties: { items: { type: 'array', items: ref(name) } },
});
const idPath = [
  { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
];

function queryParams(zod: z.ZodObject): Json[] {
  return Object.entries(zod.shape).map(([name, field]) => ({
    name,
    in: 'query',
    required: false,
    schema: schema(field as z.ZodTypeAny),
  }));
}

function op(
  summary: string,
  opts: {
    body?: z.ZodTypeAny;
    query?: z.ZodObject;
    path?: boolean;
    response: [number, string, Json?];
    auth?: boolean;
  },
): Json {
  const [status, description, body] = opts.response;
  return {
    summary,
    ...(opts.auth === false ? { security: [] } : {}),
    parameters: [...(opts.path ? idPath : []), ...(opts.query ? queryParams(opts.query) : [])],
    ...(opts.body ? { requestBody: { required: true, ...json(schema(opts.body)) } } : {}),
    responses: {
      [status]: ok(description, body),
      400: error,
      401: error,
      403: error,
      404: error,
      409: error,
    },
  };
}

const ref_ = {
  type: ['object', 'null'],
  properties: { id: { type: 'string' }, name: { type: 'string' } },
};

/** OpenAPI 3.1 for /api/v1, built from the same zod schemas that validate requests. */
export function openApiDocument(publicUrl: string): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Switchboard API',
      version: '1.0.0',
      description: 'Omnichannel inbox. Errors are {error:{code,message}}. Sockets: see README.',
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
        Ref: ref_,
        Conversation: {
          type: 'object',
          required: ['id', 'status', 'channel', 'contact'],
          properties: {
            id: { type: 'string', format: 'uuid' },
            status: { enum: ['bot', 'open', 'pending', 'snoozed', 'resolved'] },
            channel: { enum: ['webchat', 'sms', 'voice', 'email', 'telegram', 'botframework'] },
            inboxId: { type: 'string' },
            contact: ref_,
            priority: { enum: ['none', 'low', 'medium', 'high', 'urgent'] },
            assignee: ref_,
            team: ref_,
            level: { type: 'integer', minimum: 0, maximum: 4 },
            labels: { type: 'array', items: { type: 'string' } },
            unreadCount: { type: 'integer' },
            lastMessageAt: { type: ['string', 'null'], format: 'date-time' },
            lastMessagePreview: { type: ['string', 'null'] },
            waitingSince: { type: ['string', 'null'], format: 'date-time' },
            snoozedUntil: { type: ['string', 'null'], format: 'date-time' },
            createdAt: { type: 'string', format: 'date-time' },
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
            sender: ref_,
            text: { type: 'string' },
            html: { type: ['string', 'null'] },
            private: { type: 'boolean' },
            status: { enum: ['received', 'queued', 'sent', 'delivered', 'read', 'failed'] },
            failureReason: { type: ['string', 'null'] },
            attachments: { type: 'array', items: ref('Attachment') },
            createdAt: { type: 'string', format: 'date-time' },
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
            state: { enum: ['stored', 'pending', 'failed', 'too_large'] },
            error: { type: ['string', 'null'] },
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
                    description:
                      'opted_out: the customer replied STOP (SMS); nothing is sent there',
                  },
                  stateReason: { type: ['string', 'null'] },
                },
              },
            },
            language: { type: ['string', 'null'] },
            preferredChannel: { type: ['string', 'null'] },
            birthday: { type: ['string', 'null'], format: 'date' },
            tier: { type: ['string', 'null'] },
            lifetimeValue: { type: ['string', 'null'] },
            notes: { type: 'string' },
            customAttributes: { type: 'object' },
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
          properties: {
            id: { type: 'string' },
            name: { type: 'string' },
            channel: { type: 'string' },
            enabled: { type: 'boolean' },
            settings: {
              type: 'object',
              description:
                'Plain settings and write-only credentials (masked on read). sms/voice credentials: ' +
                'accountSid, authToken, phoneNumber (E.164) or messagingServiceSid (sms only). voice ' +
                'settings: prompts {en|ru|fa: {greeting, menu, …, recordings: {key: attachmentId}}}, ' +
                'missedCallSms (boolean), ringSeconds, maxRecordSeconds.',
            },
            routingKey: { type: ['string', 'null'] },
            webhookUrls: {
              type: 'array',
              items: { type: 'string' },
              description: 'Where the provider must send webhooks (paste into its console)',
            },
            memberIds: { type: 'array', items: { type: 'string' } },
          },
        },
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
    paths: {
      '/auth/login': {
        post: op('Sign in; also sets the httpOnly sb_session cookie', {
          body: s.loginBody,
          auth: false,
          response: [
            200,
            'token and user',
            { type: 'object', properties: { token: { type: 'string' }, user: ref('User') } },
          ],
        }),
      },
      '/auth/logout': { post: op('Revoke the token in use', { response: [204, 'signed out'] }) },
      '/auth/me': {
        get: op('The signed-in user', {
          response: [200, 'user', { type: 'object', properties: { user: ref('User') } }],
        }),
        patch: op('Change own name, locale or password', {
          body: s.mePatch,
          response: [200, 'user', { type: 'object', properties: { user: ref('User') } }],
        }),
      },
      '/conversations': {
        get: op('List conversations, newest activity first', {
          query: s.conversationQuery,
          response: [
            200,
            'a page',
            {
              type: 'object',
              properties: {
                items: { type: 'array', items: ref('Conversation') },
                nextCursor: { type: ['string', 'null'] },
              },
            },
          ],
        }),
      },
      '/conversations/counts': {
        get: op('Counts per view (not resolved)', {
          response: [200, 'counts', { type: 'object' }],
        }),
      },
      '/conversations/{id}': {
        get: op(
          'One conversation with its contact and `recipient` (the identity replies go to, with its state)',
          {
            path: true,
            response: [200, 'conversation', ref('Conversation')],
          },
        ),
        patch: op('Change status, priority, assignee, team, labels, snooze', {
          path: true,
          body: s.conversationPatch,
          response: [200, 'conversation', ref('Conversation')],
        }),
      },
      '/conversations/{id}/read': {
        post: op('Mark as read', {
          path: true,
          response: [200, 'conversation', ref('Conversation')],
        }),
      },
      '/conversations/{id}/escalate': {
        post: op('Escalate one level up (or to level)', {
          path: true,
          body: s.escalateBody,
          response: [200, 'conversation', ref('Conversation')],
        }),
      },
      '/conversations/{id}/callback': {
        post: op(
          'Record a call back to the customer (an internal system note); reached, left_voicemail and wrong_number clear the callback_requested label',
          {
            path: true,
            body: s.callbackBody,
            response: [
              200,
              'the note and the conversation',
              {
                type: 'object',
                properties: { message: ref('Message'), conversation: ref('Conversation') },
              },
            ],
          },
        ),
      },
      '/conversations/{id}/escalations': {
        get: op('Escalation history', {
          path: true,
          response: [200, 'history', { type: 'object' }],
        }),
      },
      '/conversations/{id}/messages': {
        get: op('Messages, oldest first', {
          path: true,
          query: s.messagesQuery,
          response: [200, 'messages', items('Message')],
        }),
        post: op('Reply to the customer or write a private note', {
          path: true,
          body: s.messageBody,
          response: [201, 'message', ref('Message')],
        }),
      },
      '/attachments': {
        post: op('Upload a file (raw body) to attach to a reply', {
          query: s.uploadQuery,
          response: [201, 'attachment', ref('Attachment')],
        }),
      },
      '/attachments/{id}': {
        get: op('Download a file', { path: true, response: [200, 'the file'] }),
      },
      '/contacts': {
        get: op('Search contacts', {
          query: s.contactsQuery,
          response: [200, 'contacts', items('Contact')],
        }),
      },
      '/contacts/{id}': {
        get: op('One contact', { path: true, response: [200, 'contact', ref('Contact')] }),
        patch: op('Edit a contact (audited)', {
          path: true,
          body: s.contactPatch,
          response: [200, 'contact', ref('Contact')],
        }),
      },
      '/contacts/{id}/conversations': {
        get: op("The contact's conversations on every channel", {
          path: true,
          response: [200, 'conversations', items('Conversation')],
        }),
      },
      '/search': {
        get: op('Search messages and contacts (Persian/Russian folded)', {
          query: s.searchQuery,
          response: [200, 'hits', { type: 'object' }],
        }),
      },
      '/labels': { get: op('Labels in use', { response: [200, 'labels', { type: 'object' }] }) },
      '/users': {
        get: op('All users', { response: [200, 'users', items('User')] }),
        post: op('Invite a user (admin)', {
          body: s.userCreate,
          response: [201, 'user and generated password', { type: 'object' }],
        }),
      },
      '/users/{id}': {
        patch: op(
          'Change role, activity, memberships (admin); name, locale, password, phone and onDuty (self)',
          {
            path: true,
            body: s.userPatch,
            response: [200, 'user', ref('User')],
          },
        ),
      },
      '/teams': {
        get: op('Teams', { response: [200, 'teams', items('Team')] }),
        post: op('Create a team (admin)', {
          body: s.teamBody,
          response: [201, 'team', ref('Team')],
        }),
      },
      '/teams/{id}': {
        patch: op('Change a team (admin)', {
          path: true,
          body: s.teamBody,
          response: [200, 'team', ref('Team')],
        }),
        delete: op('Delete a team (admin)', { path: true, response: [204, 'deleted'] }),
      },
      '/inboxes': {
        get: op('Inboxes visible to you', { response: [200, 'inboxes', items('Inbox')] }),
        post: op('Create an inbox (admin)', {
          body: s.inboxBody,
          response: [201, 'inbox', ref('Inbox')],
        }),
      },
      '/inboxes/{id}': {
        patch: op('Change an inbox (admin)', {
          path: true,
          body: s.inboxBody,
          response: [200, 'inbox', ref('Inbox')],
        }),
      },
      '/canned-responses': {
        get: op('Canned responses', { response: [200, 'canned responses', items('Canned')] }),
        post: op('Create (admin)', {
          body: s.cannedBody,
          response: [201, 'canned', ref('Canned')],
        }),
      },
      '/canned-responses/{id}': {
        patch: op('Change (admin)', {
          path: true,
          body: s.cannedBody,
          response: [200, 'canned', ref('Canned')],
        }),
        delete: op('Delete (admin)', { path: true, response: [204, 'deleted'] }),
      },
    },
  };
}
