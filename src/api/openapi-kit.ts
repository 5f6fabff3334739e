import { z } from 'zod';

/** Small builders for the OpenAPI document; each controller describes its own paths. */
export type Json = Record<string, unknown>;

export const schema = (zod: z.ZodTypeAny, io: 'input' | 'output' = 'input'): Json =>
  z.toJSONSchema(zod, { io, unrepresentable: 'any' }) as Json;

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (body: Json) => ({ content: { 'application/json': { schema: body } } });
const ok = (description: string, body?: Json) => ({ description, ...(body ? json(body) : {}) });
const error = { description: 'error', ...json(ref('Error')) };
export const items = (name: string) => ({
  type: 'object',
  properties: { items: { type: 'array', items: ref(name) } },
});
const pathParams = (names: string[]) =>
  names.map((name) => ({
    name,
    in: 'path',
    required: true,
    schema: { type: 'string', format: 'uuid' },
  }));

function queryParams(zod: z.ZodObject): Json[] {
  return Object.entries(zod.shape).map(([name, field]) => ({
    name,
    in: 'query',
    required: false,
    schema: schema(field as z.ZodTypeAny),
  }));
}

export function op(
  summary: string,
  opts: {
    body?: z.ZodTypeAny;
    query?: z.ZodObject;
    /** true: an `{id}`; or the names of the path's ids. */
    path?: boolean | string[];
    response: [number, string, Json?];
    auth?: boolean;
  },
): Json {
  const [status, description, body] = opts.response;
  return {
    summary,
    ...(opts.auth === false ? { security: [] } : {}),
    parameters: [
      ...(opts.path ? pathParams(opts.path === true ? ['id'] : opts.path) : []),
      ...(opts.query ? queryParams(opts.query) : []),
    ],
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

export const refOrNull = {
  type: ['object', 'null'],
  properties: { id: { type: 'string' }, name: { type: 'string' } },
};

/** Path maps into one; operations on one path from several maps are kept side by side. */
export function mergePaths(...maps: Record<string, Json>[]): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const map of maps)
    for (const [path, ops] of Object.entries(map)) out[path] = { ...out[path], ...ops };
  return out;
}
