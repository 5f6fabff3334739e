import fc from 'fast-check';

/**
 * Hostile values for the fuzz suite: what a careless client, a scanner or an attacker sends.
 * Strings the database cannot store (NUL, lone surrogates), direction overrides, injections,
 * huge and deeply nested values, keys that mean something to JavaScript objects, wrong types.
 */
const nasty = [
  '',
  ' ',
  '\u0000',
  'order 77\u0000 is missing',
  '\uD800',
  'half \uDE00 emoji',
  '\u202Eevil.exe',
  '\u200F\u202B\u2067',
  'سلام، سفارش ۱۰۴۲ کجاست؟',
  'Привет, ёжик',
  "'; drop table users; --",
  '" or 1=1 --',
  '<script>window.__xss=1</script>',
  '<img src=x onerror=alert(1)>',
  '../../../../etc/passwd',
  '%00%2e%2e%2f',
  '{{7*7}}${7*7}',
  '${jndi:ldap://fuzz.invalid/a}',
  'http://169.254.169.254/latest/meta-data/',
  'file:///etc/passwd',
  'null',
  'undefined',
  'NaN',
  '-1',
  '1e309',
  '00000000-0000-4000-8000-000000000000',
  'not-a-uuid',
  '2026-02-30T25:61:61Z',
  'x'.repeat(5_000),
  '👍🏽'.repeat(300),
];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...nasty) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);

export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', '', '\u0000', 'name', 'text', 'id'),
  fc.string({ maxLength: 10 }),
);

const hostileScalar: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.integer(),
  fc.constantFrom(0, -1, 2 ** 53, Number.MAX_SAFE_INTEGER + 2, 1.5, -0),
  fc.boolean(),
  fc.constant(null),
);

/** Any JSON value, hostile at every level, nested a few deep. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileScalar,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileKey, tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** A body shaped like what an operation expects, with hostile values and extra keys. */
export function hostileBody(fieldNames: string[]): fc.Arbitrary<unknown> {
  const shaped = fc
    .tuple(
      fc.subarray(fieldNames),
      fc.array(hostileValue, { minLength: fieldNames.length, maxLength: fieldNames.length }),
      fc.dictionary(hostileKey, hostileValue, { maxKeys: 2 }),
    )
    .map(([names, values, extra]) => {
      const body: Record<string, unknown> = {};
      names.forEach((n, i) => {
        body[n] = values[i];
      });
      // Extra keys are defined, not assigned: "__proto__" must stay a key in the JSON sent.
      for (const [k, v] of Object.entries(extra))
        Object.defineProperty(body, k, {
          value: v,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      return body;
    });
  return fc.oneof({ weight: 3, arbitrary: shaped }, { weight: 1, arbitrary: hostileValue });
}

/** A raw request body: JSON of a hostile value, or not JSON at all. */
export const hostileRaw: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '{',
    '{"a":',
    'null',
    '[]',
    '"str"',
    '{"a":1}{"b":2}',
    '\u0000',
    '{"__proto__":{"x":1}}',
  ),
  hostileString,
);

/** A path segment where an id belongs. */
export function hostileId(known: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.uuid(),
    fc.constantFrom(...known),
    hostileString.map((s) => encodeURIComponent(s.toWellFormed()).slice(0, 200) || 'x'),
  );
}
