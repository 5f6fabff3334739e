import type { CannedResponse, Contact, Identity } from '../api/types';
import { foldForSearch } from './search';

export interface TemplateContext {
  contact?: Partial<Pick<Contact, 'name' | 'language' | 'tier' | 'customAttributes'>> & {
    identities?: Identity[];
  };
  agent?: { name: string; email?: string };
  conversation?: { id: string; channel?: string };
}

/** The variables a canned response may use; shown as help in Settings. */
export const TEMPLATE_VARIABLES = [
  '{{contact.name}}',
  '{{contact.first_name}}',
  '{{contact.email}}',
  '{{contact.phone}}',
  '{{contact.tier}}',
  '{{agent.name}}',
  '{{conversation.id}}',
] as const;

function identity(ctx: TemplateContext, kind: Identity['kind']): string | undefined {
  return ctx.contact?.identities?.find((i) => i.kind === kind)?.value;
}

function lookup(path: string, ctx: TemplateContext): string | undefined {
  const name = ctx.contact?.name?.trim() || undefined;
  switch (path) {
    case 'contact.name':
      return name;
    case 'contact.first_name':
    case 'contact.firstName':
      return name?.split(/\s+/)[0];
    case 'contact.last_name':
    case 'contact.lastName': {
      const parts = name?.split(/\s+/) ?? [];
      return parts.length > 1 ? parts[parts.length - 1] : undefined;
    }
    case 'contact.email':
      return identity(ctx, 'email');
    case 'contact.phone':
      return identity(ctx, 'phone');
    case 'contact.language':
      return ctx.contact?.language ?? undefined;
    case 'contact.tier':
      return ctx.contact?.tier ?? undefined;
    case 'agent.name':
      return ctx.agent?.name;
    case 'agent.first_name':
      return ctx.agent?.name.split(/\s+/)[0];
    case 'agent.email':
      return ctx.agent?.email;
    case 'conversation.id':
      return ctx.conversation?.id;
  }
  // Custom attributes: {{contact.plan}} or {{contact.custom.plan}}.
  const attr = path.match(/^contact\.(?:custom\.)?([\w-]+)$/)?.[1];
  if (attr !== undefined) {
    const value = ctx.contact?.customAttributes?.[attr];
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      return String(value);
    }
  }
  return undefined;
}

/**
 * Fills `{{contact.name}}`-style variables. `{{contact.first_name | there}}` gives a fallback
 * for an unknown value; without one, an unknown value becomes empty text and the doubled space
 * it leaves is tidied up, so "Hi {{contact.name}}," reads "Hi," rather than showing braces.
 */
export function fillTemplate(content: string, ctx: TemplateContext): string {
  const filled = content.replace(
    /\{\{\s*([\w.-]+)\s*(?:\|\s*([^}]*?)\s*)?\}\}/g,
    (_whole, path: string, fallback: string | undefined) => lookup(path, ctx) ?? fallback ?? '',
  );
  return filled.replace(/ {2,}/g, ' ').replace(/ ([,.!?،؟])/g, '$1');
}

export interface CannedTrigger {
  /** Index of the `/` in the text. */
  start: number;
  /** What the agent typed after the slash. */
  query: string;
}

/** A `/word` right before the caret, at the start or after whitespace, opens the picker. */
export function cannedTrigger(text: string, caret: number): CannedTrigger | null {
  const before = text.slice(0, caret);
  const match = before.match(/(^|\s)\/([^\s/]*)$/u);
  if (!match) return null;
  const query = match[2] ?? '';
  return { start: caret - query.length - 1, query };
}

/** Short codes that start with the query first, then ones containing it, then content matches. */
export function matchCanned(list: CannedResponse[], query: string, limit = 8): CannedResponse[] {
  const q = foldForSearch(query);
  if (!q) return list.slice(0, limit);
  const scored: [number, CannedResponse][] = [];
  for (const item of list) {
    const code = foldForSearch(item.shortCode);
    const score = code.startsWith(q)
      ? 0
      : code.includes(q)
        ? 1
        : foldForSearch(item.content).includes(q)
          ? 2
          : -1;
    if (score >= 0) scored.push([score, item]);
  }
  return scored
    .sort((a, b) => a[0] - b[0] || a[1].shortCode.localeCompare(b[1].shortCode))
    .slice(0, limit)
    .map(([, item]) => item);
}

/** Replaces the `/query` with the filled response and returns where the caret should go. */
export function applyCanned(
  text: string,
  trigger: CannedTrigger,
  caret: number,
  filled: string,
): { text: string; caret: number } {
  const next = text.slice(0, trigger.start) + filled + text.slice(caret);
  return { text: next, caret: trigger.start + filled.length };
}
