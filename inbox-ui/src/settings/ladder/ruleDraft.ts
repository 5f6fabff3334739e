import type { Action, Condition, Field, Rule, RuleEvent, RuleVocabulary } from '../../api/ladder';

// The rule editor's drafts: every value as the text the admin types, turned into the rule the
// server validates (and whose errors the editor shows).

export type FieldType = RuleVocabulary['fields'][Field];

/** The operators each field type takes (the server's engine checks the same table). */
export type Op =
  | 'eq'
  | 'neq'
  | 'in'
  | 'notIn'
  | 'exists'
  | 'gt'
  | 'gte'
  | 'lt'
  | 'lte'
  | 'contains'
  | 'notContains'
  | 'containsAny'
  | 'notContainsAny';

export const OPS: Record<FieldType, readonly Op[]> = {
  string: ['eq', 'neq', 'in', 'notIn', 'exists'],
  number: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'exists'],
  boolean: ['eq'],
  list: ['contains', 'notContains'],
  text: ['containsAny', 'notContainsAny'],
};

export interface ConditionDraft {
  field: Field;
  op: string;
  value: string;
}

export type ActionType = Action['type'];

/** The parameters each action takes, and what kind of control edits them. */
export const ACTION_PARAMS: Record<
  ActionType,
  readonly { key: ParamKey; kind: ParamKind; optional?: boolean }[]
> = {
  escalate: [
    { key: 'level', kind: 'level', optional: true },
    { key: 'reason', kind: 'text', optional: true },
  ],
  openComplaint: [{ key: 'category', kind: 'category' }],
  assignTeam: [{ key: 'teamId', kind: 'team' }],
  assignAgent: [{ key: 'userId', kind: 'user' }],
  setPriority: [{ key: 'priority', kind: 'priority' }],
  addLabel: [{ key: 'label', kind: 'text' }],
  notifySupervisors: [{ key: 'message', kind: 'text' }],
  sendMessage: [
    { key: 'text.en', kind: 'text' },
    { key: 'text.fa', kind: 'text' },
    { key: 'text.ru', kind: 'text' },
  ],
  sendTemplate: [{ key: 'cannedResponseId', kind: 'canned' }],
  flagLegal: [],
  applySla: [{ key: 'policyId', kind: 'policy' }],
  callWebhook: [{ key: 'webhookId', kind: 'webhook' }],
};
export type ParamKey =
  | 'level'
  | 'reason'
  | 'category'
  | 'teamId'
  | 'userId'
  | 'priority'
  | 'label'
  | 'message'
  | 'text.en'
  | 'text.fa'
  | 'text.ru'
  | 'cannedResponseId'
  | 'policyId'
  | 'webhookId';

export type ParamKind =
  'text' | 'level' | 'category' | 'team' | 'user' | 'priority' | 'canned' | 'policy' | 'webhook';

export interface ActionDraft {
  type: ActionType;
  params: Record<string, string>;
}

export interface RuleDraft {
  id: string | null;
  name: string;
  event: RuleEvent;
  /** Every one of these must hold… */
  all: ConditionDraft[];
  /** …and, when given, at least one of these. */
  any: ConditionDraft[];
  actions: ActionDraft[];
  enabled: boolean;
}

const SEPARATORS = /[,،\n]/;

function valueText(value: unknown): string {
  if (Array.isArray(value)) return value.map(String).join(', ');
  if (value === undefined || value === null) return '';
  return String(value);
}

export function conditionDraft(c: Condition): ConditionDraft {
  return { field: c.field, op: c.op, value: valueText(c.value) };
}

/** The typed value of a condition, from the text the admin typed. */
export function conditionValue(type: FieldType, op: string, text: string): unknown {
  const trimmed = text.trim();
  if (op === 'exists') return trimmed === '' ? undefined : trimmed !== 'false';
  if (op === 'in' || op === 'notIn' || op === 'containsAny' || op === 'notContainsAny') {
    const parts = trimmed
      .split(SEPARATORS)
      .map((x) => x.trim())
      .filter(Boolean);
    return type === 'number' ? parts.map(Number) : parts;
  }
  if (type === 'number') return trimmed === '' ? undefined : Number(trimmed);
  if (type === 'boolean') return trimmed === 'true';
  return trimmed;
}

export function ruleToDraft(rule: Rule): RuleDraft {
  return {
    id: rule.id,
    name: rule.name,
    event: rule.event,
    all: (rule.conditions.all ?? []).map(conditionDraft),
    any: (rule.conditions.any ?? []).map(conditionDraft),
    actions: rule.actions.map(actionDraft),
    enabled: rule.enabled,
  };
}

export function actionDraft(a: Action): ActionDraft {
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(a)) {
    if (k === 'type') continue;
    if (v && typeof v === 'object')
      for (const [lang, text] of Object.entries(v)) params[`${k}.${lang}`] = String(text);
    else params[k] = valueText(v);
  }
  return { type: a.type, params };
}

/** An action as the API takes it; the server validates the whole rule. */
export interface ActionBody {
  type: ActionType;
  [param: string]: unknown;
}

export function actionBody(d: ActionDraft): ActionBody {
  const body: ActionBody = { type: d.type };
  for (const p of ACTION_PARAMS[d.type]) {
    const text = (d.params[p.key] ?? '').trim();
    if (!text && p.optional) continue;
    const [k, lang] = p.key.split('.') as [string, string | undefined];
    if (lang) {
      const group = (body[k] ?? {}) as Record<string, string>;
      body[k] = { ...group, [lang]: text };
    } else body[k] = p.kind === 'level' ? Number(text) : text;
  }
  return body;
}

export function ruleBody(d: RuleDraft, fields: RuleVocabulary['fields']) {
  const typed = (list: ConditionDraft[]) =>
    list.map((c) => {
      const value = conditionValue(fields[c.field], c.op, c.value);
      return value === undefined
        ? { field: c.field, op: c.op }
        : { field: c.field, op: c.op, value };
    });
  return {
    name: d.name.trim(),
    event: d.event,
    conditions: {
      ...(d.all.length ? { all: typed(d.all) } : {}),
      ...(d.any.length ? { any: typed(d.any) } : {}),
    },
    actions: d.actions.map(actionBody),
    enabled: d.enabled,
  };
}

export const blankRule = (): RuleDraft => ({
  id: null,
  name: '',
  event: 'message.created',
  all: [{ field: 'message.direction', op: 'eq', value: 'in' }],
  any: [],
  actions: [{ type: 'addLabel', params: { label: '' } }],
  enabled: true,
});
