/**
 * Text from outside (API bodies, socket frames, every channel) is cleaned once, at the
 * boundary: NUL, which PostgreSQL cannot store in text or jsonb, is removed, and lone UTF-16
 * surrogates (half an emoji, cut by a careless client) become U+FFFD. Everything else stays:
 * Persian ZWNJ, right-to-left marks, emoji, Cyrillic, control characters a person may have meant.
 */
export function cleanText(value: string): string {
  // Fast path: almost every string is already clean.
  if (!value.includes('\u0000') && value.isWellFormed()) return value;
  return value.replaceAll('\u0000', '').toWellFormed();
}

/** The same for every string inside a JSON-like value (raw provider payloads, attributes). */
export function cleanDeep<T>(value: T): T {
  if (typeof value === 'string') return cleanText(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => cleanDeep(v)) as T;
  // Plain objects, including the prototype-less ones query-string parsers make.
  const proto: unknown =
    value && typeof value === 'object' ? Object.getPrototypeOf(value) : undefined;
  if (value && typeof value === 'object' && (proto === Object.prototype || proto === null)) {
    const out: Record<string, unknown> = {};
    // defineProperty, not assignment: a key "__proto__" (JSON.parse makes it an own property)
    // must stay a plain key and never become the copy's prototype.
    for (const [k, v] of Object.entries(value))
      Object.defineProperty(out, cleanText(k), {
        value: cleanDeep(v),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    return out as T;
  }
  return value;
}
