import { Router } from 'express';
import { z } from 'zod';
import { items, op, ref, type Json } from './openapi-kit';
import { idParam } from './schemas';
import { parse, principalOf } from './http';
import { botTextsInput, kbEntryInput, type BotContentService } from '../bot/bot-content.service';
import type { BotTryService } from '../bot/bot-try.service';

const languageParam = z.object({ language: z.enum(['en', 'fa', 'ru']) }).strict();
const tryBody = z
  .object({
    text: z.string().max(10_000),
    language: z.enum(['en', 'fa', 'ru']).optional(),
    reset: z.boolean().optional(),
  })
  .strict();

/** The bot's texts per language, its knowledge base, and "try the bot" (admins). */
export function botRoutes(deps: { content: BotContentService; trial: BotTryService }): Router {
  const { content, trial } = deps;
  const router = Router();

  router.get('/bot/texts/:language', async (req, res) => {
    const { language } = parse(languageParam, req.params);
    res.json(await content.textsFor(principalOf(req), language));
  });
  router.put('/bot/texts/:language', async (req, res) => {
    const { language } = parse(languageParam, req.params);
    const body = parse(botTextsInput, req.body) as Record<string, string | null | undefined>;
    res.json(await content.saveTexts(principalOf(req), language, body));
  });
  router.get('/bot/kb', async (req, res) => {
    res.json({ items: await content.listKb(principalOf(req)) });
  });
  router.post('/bot/kb', async (req, res) => {
    res
      .status(201)
      .json(await content.saveKb(principalOf(req), null, parse(kbEntryInput, req.body)));
  });
  router.put('/bot/kb/:id', async (req, res) => {
    const { id } = parse(idParam, req.params);
    res.json(await content.saveKb(principalOf(req), id, parse(kbEntryInput, req.body)));
  });
  router.delete('/bot/kb/:id', async (req, res) => {
    const { id } = parse(idParam, req.params);
    await content.removeKb(principalOf(req), id);
    res.status(204).end();
  });
  router.post('/bot/try', async (req, res) => {
    res.json(await trial.run(principalOf(req), parse(tryBody, req.body)));
  });
  return router;
}

const perLanguage = (value: Json) => ({
  type: 'object',
  properties: { en: value, fa: value, ru: value },
});

export const botSchemas: Record<string, Json> = {
  BotKbEntry: {
    type: 'object',
    properties: {
      id: { type: 'string', format: 'uuid' },
      questions: perLanguage({ type: 'array', items: { type: 'string' } }),
      answers: perLanguage({ type: 'string' }),
      enabled: { type: 'boolean' },
      createdAt: { type: 'string', format: 'date-time' },
      updatedAt: { type: 'string', format: 'date-time' },
    },
  },
  BotTexts: {
    type: 'object',
    properties: {
      language: { type: 'string', enum: ['en', 'fa', 'ru'] },
      texts: { type: 'object', additionalProperties: { type: 'string' } },
      defaults: { type: 'object', additionalProperties: { type: 'string' } },
      changed: { type: 'array', items: { type: 'string' } },
    },
  },
  BotTry: {
    type: 'object',
    properties: {
      replies: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            text: { type: 'string' },
            buttons: {
              type: 'array',
              items: {
                type: 'object',
                properties: { label: { type: 'string' }, value: { type: 'string' } },
              },
            },
          },
        },
      },
      handover: { type: ['object', 'null'] },
      complaint: { type: ['object', 'null'] },
    },
  },
};

const languagePath = [
  {
    name: 'language',
    in: 'path',
    required: true,
    schema: { type: 'string', enum: ['en', 'fa', 'ru'] },
  },
];

export function botPaths(publicUrl: string): Record<string, Json> {
  return {
    '/bot/texts/{language}': {
      get: {
        ...op('What the bot says in a language: current, shipped, changed keys (admin)', {
          response: [200, 'texts', ref('BotTexts')],
        }),
        parameters: languagePath,
      },
      put: {
        ...op('Change bot texts (admin); null or empty brings the shipped text back', {
          body: botTextsInput,
          response: [200, 'texts', ref('BotTexts')],
        }),
        parameters: languagePath,
      },
    },
    '/bot/kb': {
      get: op('Knowledge-base entries (admin)', {
        response: [200, 'entries', items('BotKbEntry')],
      }),
      post: op('Add a knowledge-base entry: question variants and an answer per language (admin)', {
        body: kbEntryInput,
        response: [201, 'entry', ref('BotKbEntry')],
      }),
    },
    '/bot/kb/{id}': {
      put: op('Replace a knowledge-base entry (admin)', {
        path: true,
        body: kbEntryInput,
        response: [200, 'entry', ref('BotKbEntry')],
      }),
      delete: op('Delete a knowledge-base entry (admin)', {
        path: true,
        response: [204, 'deleted'],
      }),
    },
    '/bot/try': {
      post: op(
        'Try the bot (admin): one turn of a trial conversation; nothing is written or sent, a ' +
          'complaint reads PREVIEW, a handover is reported instead of made',
        { body: tryBody, response: [200, 'the bot’s replies', ref('BotTry')] },
      ),
    },
    '/messages': {
      post: {
        // Not under /api/v1: POST /api/messages, where Bot Framework clients expect it.
        servers: [{ url: `${publicUrl}/api` }],
        summary:
          'Bot Framework activities (POST /api/messages). With MICROSOFT_APP_ID set, the JWT is ' +
          'checked as Bot Framework does; without it (emulator mode) only loopback callers are ' +
          'served, and only a loopback serviceUrl is answered; anything else 401',
        security: [],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { type: 'object' } } },
        },
        responses: {
          200: { description: 'stored; replies follow through the connector' },
          401: { description: 'not authenticated (bad JWT, or not loopback in emulator mode)' },
        },
      },
    },
  };
}
