import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** One TwiML element: its verb or noun, attributes, text and children, in document order. */
export interface TwimlNode {
  tag: string;
  attrs: Record<string, string>;
  text: string;
  children: TwimlNode[];
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: true,
});

type Ordered = Record<string, unknown>[];

function convert(items: Ordered): TwimlNode[] {
  const nodes: TwimlNode[] = [];
  for (const item of items) {
    const attrs = (item[':@'] as Record<string, string> | undefined) ?? {};
    for (const [tag, value] of Object.entries(item)) {
      if (tag === ':@' || tag === '#text' || tag === '?xml') continue;
      const children = Array.isArray(value) ? (value as Ordered) : [];
      nodes.push({
        tag,
        attrs,
        text: children
          .filter((c) => '#text' in c)
          .map((c) => String(c['#text']))
          .join(''),
        children: convert(children),
      });
    }
  }
  return nodes;
}

/** Parses TwiML with a real XML parser (well-formedness checked first) into its `<Response>`. */
export function parseTwiml(xml: string): TwimlNode {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`not well-formed XML: ${JSON.stringify(valid.err)}`);
  const [response] = convert(parser.parse(xml) as Ordered);
  if (response?.tag !== 'Response') throw new Error(`not TwiML: ${xml}`);
  return response;
}

/** Every element with this tag, depth first. */
export function findAll(node: TwimlNode, tag: string): TwimlNode[] {
  return [...(node.tag === tag ? [node] : []), ...node.children.flatMap((c) => findAll(c, tag))];
}

/** The verbs of a response as `Tag` or `Tag:text`, nested ones as `Parent>Child`. */
export function outline(node: TwimlNode, prefix = ''): string[] {
  return node.children.flatMap((c) => [`${prefix}${c.tag}`, ...outline(c, `${prefix}${c.tag}>`)]);
}

/** The query of an action URL as an object. */
export function queryOf(url: string | undefined): Record<string, string> {
  return Object.fromEntries(new URL(url ?? 'http://x/').searchParams);
}
