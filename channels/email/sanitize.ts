import sanitizeHtml from 'sanitize-html';

/**
 * E-mail HTML is hostile input. It is sanitised here, once, before it is stored, with an allow
 * list: no script, style, iframe, form, object or event handler, no `javascript:` URL, and
 * nothing that loads by itself. A remote image keeps its address in `data-remote-src` (no
 * `src`), so the app can show it when the agent asks; `cid:` images stay as they are and the
 * app maps them to the message's attachments. The app shows the result in a sandboxed iframe
 * with a CSP, which is the second guard.
 */

const TAGS = [
  'a',
  'abbr',
  'address',
  'b',
  'bdi',
  'bdo',
  'big',
  'blockquote',
  'br',
  'caption',
  'center',
  'cite',
  'code',
  'col',
  'colgroup',
  'dd',
  'del',
  'div',
  'dl',
  'dt',
  'em',
  'font',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'i',
  'img',
  'ins',
  'kbd',
  'li',
  'mark',
  'ol',
  'p',
  'pre',
  'q',
  's',
  'small',
  'span',
  'strike',
  'strong',
  'sub',
  'sup',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'tt',
  'u',
  'ul',
  'wbr',
];

const LAYOUT = ['align', 'valign', 'width', 'height', 'bgcolor', 'border'];

/** CSS values that could fetch something or run something are refused whole. */
const SAFE_CSS_VALUE = /^(?!.*(?:url|expression|image-set|image|element|paint)\s*\().*$/is;
const CSS_PROPERTIES = [
  'color',
  'background-color',
  'font',
  'font-family',
  'font-size',
  'font-style',
  'font-weight',
  'text-align',
  'text-decoration',
  'text-indent',
  'text-transform',
  'line-height',
  'letter-spacing',
  'white-space',
  'direction',
  'unicode-bidi',
  'vertical-align',
  'margin',
  'margin-top',
  'margin-right',
  'margin-bottom',
  'margin-left',
  'padding',
  'padding-top',
  'padding-right',
  'padding-bottom',
  'padding-left',
  'border',
  'border-top',
  'border-right',
  'border-bottom',
  'border-left',
  'border-color',
  'border-style',
  'border-width',
  'border-collapse',
  'border-spacing',
  'border-radius',
  'width',
  'max-width',
  'min-width',
  'height',
  'display',
  'list-style-type',
];

const IMAGE_DATA_URL = /^data:image\/(?:png|gif|jpe?g|webp);/i;
const REMOTE = /^(?:https?:)?\/\//i;

const options: sanitizeHtml.IOptions = {
  allowedTags: TAGS,
  // Dropped with their content: what runs, what styles the app, what is not text.
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'title', 'head', 'template'],
  disallowedTagsMode: 'discard',
  allowedAttributes: {
    '*': ['dir', 'lang', 'title', 'class', 'style', ...LAYOUT],
    a: ['href', 'name', 'target'],
    img: ['src', 'alt', 'data-remote-src'],
    td: ['colspan', 'rowspan', 'nowrap'],
    th: ['colspan', 'rowspan', 'nowrap', 'scope'],
    table: ['cellpadding', 'cellspacing', 'summary'],
    col: ['span'],
    colgroup: ['span'],
    font: ['color', 'face', 'size'],
    ol: ['start', 'type'],
    ul: ['type'],
    li: ['value'],
    blockquote: ['type'],
  },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['cid', 'data'] },
  allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
  allowProtocolRelative: false,
  allowedStyles: {
    '*': Object.fromEntries(CSS_PROPERTIES.map((p) => [p, [SAFE_CSS_VALUE]])),
  },
  transformTags: {
    img: (tagName, attribs) => {
      // A `data-remote-src` of the sender's own is dropped: only this function writes one.
      const { src, 'data-remote-src': _own, ...rest } = attribs;
      const value = (src ?? '').trim();
      if (REMOTE.test(value)) {
        // Blocked until an agent asks: the address is kept, nothing loads by itself.
        return { tagName, attribs: { ...rest, 'data-remote-src': value } };
      }
      if (/^cid:/i.test(value) || IMAGE_DATA_URL.test(value)) {
        return { tagName, attribs: { ...rest, src: value } };
      }
      return { tagName, attribs: rest };
    },
    a: (tagName, attribs) => ({
      tagName,
      attribs: { ...attribs, target: '_blank' },
    }),
  },
};

export function sanitizeEmailHtml(html: string): string {
  return sanitizeHtml(html, options).trim();
}
