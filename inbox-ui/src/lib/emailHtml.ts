// Email HTML is hostile input. It is shown only inside `<iframe sandbox="">` (no scripts, no
// same-origin access, no forms, no popups) — that is the real guard. This sanitiser is the
// second layer: it removes active content, blocks remote images (tracking pixels) until the
// agent allows them, and adds a CSP that forbids every fetch except what is allowed here.

export type ElementAction = 'keep' | 'drop' | 'unwrap';
export type AttributeAction =
  { action: 'keep' } | { action: 'drop' } | { action: 'set'; value: string };

/** Elements removed with their content. */
const DROP = new Set([
  'script',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'base',
  'link',
  'meta',
  'noscript',
  'template',
  'portal',
]);
/** Elements replaced by their children (their text is fine, the element is not). */
const UNWRAP = new Set(['form']);

const URL_ATTRIBUTES = new Set([
  'href',
  'src',
  'action',
  'formaction',
  'xlink:href',
  'background',
  'poster',
  'data',
  'codebase',
  'cite',
  'longdesc',
  'lowsrc',
  'dynsrc',
  'ping',
]);

/** A 1×1 transparent GIF shown where a blocked remote image was. */
export const BLOCKED_IMAGE =
  'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';

export function elementAction(tagName: string): ElementAction {
  const tag = tagName.toLowerCase();
  if (DROP.has(tag)) return 'drop';
  if (UNWRAP.has(tag)) return 'unwrap';
  return 'keep';
}

/** Strips whitespace and control characters browsers ignore inside a scheme (`java\tscript:`). */
function schemeOf(value: string): string {
  // eslint-disable-next-line no-control-regex
  const compact = value.replace(/[\u0000-\u0020\u007f-\u009f]/g, '').toLowerCase();
  const match = compact.match(/^([a-z][a-z0-9+.-]*):/);
  return match?.[1] ?? '';
}

export function isRemoteUrl(value: string): boolean {
  const v = value.trim().toLowerCase();
  return v.startsWith('http:') || v.startsWith('https:') || v.startsWith('//');
}

export function attributeAction(
  tagName: string,
  name: string,
  value: string,
  allowRemoteImages: boolean,
): AttributeAction {
  const tag = tagName.toLowerCase();
  const attr = name.toLowerCase();
  if (attr.startsWith('on')) return { action: 'drop' };
  if (attr === 'srcdoc' || attr === 'formaction' || attr === 'ping') return { action: 'drop' };
  if (attr === 'srcset') return allowRemoteImages ? { action: 'keep' } : { action: 'drop' };
  if (!URL_ATTRIBUTES.has(attr)) return { action: 'keep' };
  const scheme = schemeOf(value);
  if (scheme === 'javascript' || scheme === 'vbscript') return { action: 'drop' };
  if (scheme === 'data' && !/^\s*data:image\/(png|gif|jpe?g|webp);/i.test(value)) {
    return { action: 'drop' };
  }
  const isImage = (tag === 'img' && attr === 'src') || attr === 'background' || attr === 'poster';
  if (isImage && (isRemoteUrl(value) || scheme === 'cid') && !allowRemoteImages) {
    return tag === 'img' ? { action: 'set', value: BLOCKED_IMAGE } : { action: 'drop' };
  }
  return { action: 'keep' };
}

/**
 * The server keeps a remote image's address in `data-remote-src` (no `src`, so nothing loads).
 * This is the `src` it may get once the agent allows remote images: http(s) images only.
 */
export function remoteImageSource(tagName: string, value: string): string | undefined {
  if (tagName.toLowerCase() !== 'img' || !isRemoteUrl(value)) return undefined;
  const v = value.trim();
  return v.startsWith('//') ? `https:${v}` : v;
}

export function contentSecurityPolicy(allowRemoteImages: boolean): string {
  return `default-src 'none'; img-src data: ${allowRemoteImages ? 'https:' : ''}; style-src 'unsafe-inline'`;
}

const BASE_STYLE =
  'body{margin:12px;font:14px/1.5 system-ui,sans-serif;color:#1f2937;overflow-wrap:anywhere}' +
  'img{max-width:100%;height:auto}table{max-width:100%}blockquote{margin-inline:0;padding-inline-start:8px;border-inline-start:3px solid #d1d5db;color:#4b5563}';

export interface SanitizedEmail {
  doc: string;
  /** How many remote images were blocked; the UI offers to show them when this is not 0. */
  blocked: number;
}

type Parse = (html: string) => Document;

const parseWithDomParser: Parse = (html) => new DOMParser().parseFromString(html, 'text/html');

export function sanitizeEmail(
  html: string,
  allowRemoteImages: boolean,
  parse: Parse = parseWithDomParser,
): SanitizedEmail {
  const doc = parse(html);
  let blocked = 0;
  // A static list: removing nodes while iterating a live one skips elements.
  for (const el of Array.from(doc.querySelectorAll('*'))) {
    const action = elementAction(el.tagName);
    if (action === 'drop') {
      el.remove();
      continue;
    }
    if (action === 'unwrap') {
      el.replaceWith(...Array.from(el.childNodes));
      continue;
    }
    for (const { name, value } of Array.from(el.attributes)) {
      if (name === 'data-remote-src') {
        const src = remoteImageSource(el.tagName, value);
        el.removeAttribute(name);
        if (src && allowRemoteImages) el.setAttribute('src', src);
        else if (src) blocked++;
        continue;
      }
      const decision = attributeAction(el.tagName, name, value, allowRemoteImages);
      if (decision.action === 'drop') {
        el.removeAttribute(name);
        if ((name === 'background' || name === 'srcset') && isRemoteUrl(value)) blocked++;
      } else if (decision.action === 'set') {
        el.setAttribute(name, decision.value);
        blocked++;
      }
    }
  }
  const body = doc.body ? doc.body.innerHTML : '';
  const styles = Array.from(doc.head?.querySelectorAll('style') ?? [])
    .map((s) => `<style>${s.textContent ?? ''}</style>`)
    .join('');
  const csp = contentSecurityPolicy(allowRemoteImages).replace(/"/g, '&quot;');
  return {
    doc:
      `<!doctype html><html><head><meta charset="utf-8">` +
      `<meta http-equiv="Content-Security-Policy" content="${csp}">` +
      `<style>${BASE_STYLE}</style>${styles}</head><body>${body}</body></html>`,
    blocked,
  };
}

/** The srcdoc for an email's HTML: sanitised, with a CSP, remote images blocked unless allowed. */
export function sanitizedEmailDoc(html: string, allowRemoteImages: boolean, parse?: Parse): string {
  return sanitizeEmail(html, allowRemoteImages, parse).doc;
}
