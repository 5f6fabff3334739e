import { useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../../api/client';
import { ladderApi } from '../../api/ladder';
import type {
  Category,
  Field as RuleField,
  Rule,
  RuleEvent,
  RuleVocabulary,
  SlaPolicy,
  Webhook,
} from '../../api/ladder';
import { PRIORITIES } from '../../api/types';
import type { CannedResponse, Team, User } from '../../api/types';
import { Field, TextField } from '../../components/Field';
import { formatNumber } from '../../i18n/core';
import { useAdminI18n } from './i18n';
import { Card, DeleteButton, RowButton, RowsCard } from '../parts';
import { errorText, useLoad } from './useLoad';
import {
  ACTION_PARAMS,
  OPS,
  blankRule,
  ruleBody,
  ruleToDraft,
  type ActionDraft,
  type ActionType,
  type ConditionDraft,
  type ParamKind,
  type RuleDraft,
} from './ruleDraft';
import type { Run } from '../parts';

interface Refs {
  rules: Rule[];
  vocabulary: RuleVocabulary | null;
  categories: Category[];
  teams: Team[];
  users: User[];
  canned: CannedResponse[];
  policies: SlaPolicy[];
  webhooks: Webhook[];
}

const load = async (): Promise<Refs> => {
  const [rules, categories, teams, users, canned, policies, webhooks] = await Promise.all([
    ladderApi.rules(),
    ladderApi.categories(),
    api.teams(),
    api.users(),
    api.canned(),
    ladderApi.slaPolicies(),
    ladderApi.webhooks(),
  ]);
  return {
    rules: rules.items,
    vocabulary: rules.vocabulary,
    categories: categories.items,
    teams: teams.items,
    users: users.items,
    canned: canned.items,
    policies: policies.items,
    webhooks: webhooks.items,
  };
};
const EMPTY: Refs = {
  rules: [],
  vocabulary: null,
  categories: [],
  teams: [],
  users: [],
  canned: [],
  policies: [],
  webhooks: [],
};

/** Rules: on an event, if conditions hold, do actions. The shipped ladder is listed first. */
export default function RulesSection({ run }: { run: Run }) {
  const { t, locale } = useAdminI18n();
  const { data, reload } = useLoad(load, EMPTY);
  const [draft, setDraft] = useState<RuleDraft | null>(null);

  return (
    <>
      <RowsCard title={t('settings.rules')} count={data.rules.length}>
        {data.rules.map((r) => (
          <li
            key={r.id}
            className={r.enabled ? 'rows__item' : 'rows__item is-inactive'}
            data-testid="rule-row"
          >
            <div className="rows__main">
              <strong dir="auto">{r.name}</strong>
              <span className="muted">
                {t('rules.when', { event: t(`rules.event.${r.event}`) })}
                {' · '}
                {r.actions.map((a) => t(`rules.action.${a.type}`)).join(', ')}
              </span>
            </div>
            <div className="rows__actions">
              {r.builtIn ? <span className="badge">{t('rules.shipped')}</span> : null}
              <span className="badge" title={t('rules.version')}>
                v{formatNumber(locale, r.version)}
              </span>
              <RowButton
                onClick={() =>
                  void run(
                    () => ladderApi.updateRule(r.id, { enabled: !r.enabled }),
                    t('common.saved'),
                  ).then(() => reload())
                }
              >
                {r.enabled ? t('settings.disable') : t('settings.enable')}
              </RowButton>
              <RowButton onClick={() => setDraft(ruleToDraft(r))}>{t('common.edit')}</RowButton>
              <DeleteButton
                name={r.name}
                onDelete={() =>
                  void run(() => ladderApi.deleteRule(r.id), t('common.saved')).then(() => reload())
                }
              />
            </div>
          </li>
        ))}
      </RowsCard>
      {draft && data.vocabulary ? (
        <RuleEditor
          key={draft.id ?? 'new'}
          initial={draft}
          refs={data}
          vocabulary={data.vocabulary}
          onDone={(saved, notice) => {
            setDraft(null);
            if (saved) {
              void run(() => Promise.resolve(), notice);
              void reload();
            }
          }}
        />
      ) : (
        <p>
          <button
            type="button"
            className="button button--primary"
            data-testid="rule-new"
            onClick={() => setDraft(blankRule())}
          >
            {t('rules.new')}
          </button>
        </p>
      )}
    </>
  );
}

function RuleEditor({
  initial,
  refs,
  vocabulary,
  onDone,
}: {
  initial: RuleDraft;
  refs: Refs;
  vocabulary: RuleVocabulary;
  onDone: (saved: boolean, notice?: string) => void;
}) {
  const { t } = useAdminI18n();
  const [d, setD] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const fields = Object.keys(vocabulary.fields) as RuleField[];

  async function save(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const body = ruleBody(d, vocabulary.fields);
    try {
      if (d.id) await ladderApi.updateRule(d.id, body);
      else await ladderApi.createRule(body);
      onDone(true, t('common.saved'));
    } catch (err) {
      // The server names what is wrong ("conditions.all.0: value does not fit …").
      setError(errorText(err));
    }
  }

  const conditionList = (which: 'all' | 'any') => (
    <fieldset className="rule__conditions" data-testid={`rule-${which}`}>
      <legend>{t(`rules.${which}`)}</legend>
      {d[which].map((c, i) => (
        <ConditionRow
          key={i}
          condition={c}
          fields={fields}
          types={vocabulary.fields}
          onChange={(next) => setD({ ...d, [which]: d[which].map((x, j) => (j === i ? next : x)) })}
          onRemove={() => setD({ ...d, [which]: d[which].filter((_, j) => j !== i) })}
        />
      ))}
      <button
        type="button"
        className="link-button"
        onClick={() =>
          setD({
            ...d,
            [which]: [...d[which], { field: 'message.text', op: 'containsAny', value: '' }],
          })
        }
      >
        {t('rules.addCondition')}
      </button>
    </fieldset>
  );

  return (
    <Card title={d.id ? d.name : t('rules.new')}>
      <form className="form" data-testid="rule-editor" onSubmit={(e) => void save(e)}>
        <div className="form__row">
          <TextField
            label={t('settings.name')}
            required
            dir="auto"
            value={d.name}
            onValue={(name) => setD({ ...d, name })}
            data-testid="rule-name"
          />
          <Field label={t('rules.event')}>
            <select
              value={d.event}
              data-testid="rule-event"
              onChange={(e) => setD({ ...d, event: e.target.value as RuleEvent })}
            >
              {vocabulary.events.map((ev) => (
                <option key={ev} value={ev}>
                  {t(`rules.event.${ev}`)}
                </option>
              ))}
            </select>
          </Field>
          <label className="field field--check">
            <input
              type="checkbox"
              checked={d.enabled}
              onChange={(e) => setD({ ...d, enabled: e.target.checked })}
            />
            <span>{t('settings.enabled')}</span>
          </label>
        </div>
        {conditionList('all')}
        {conditionList('any')}
        <fieldset className="rule__actions">
          <legend>{t('rules.actions')}</legend>
          {d.actions.map((a, i) => (
            <ActionRow
              key={i}
              action={a}
              types={vocabulary.actions}
              refs={refs}
              onChange={(next) =>
                setD({ ...d, actions: d.actions.map((x, j) => (j === i ? next : x)) })
              }
              onRemove={() => setD({ ...d, actions: d.actions.filter((_, j) => j !== i) })}
            />
          ))}
          <button
            type="button"
            className="link-button"
            onClick={() =>
              setD({ ...d, actions: [...d.actions, { type: 'addLabel', params: { label: '' } }] })
            }
          >
            {t('rules.addAction')}
          </button>
        </fieldset>
        {error ? (
          <p className="form__error" role="alert" data-testid="rule-error">
            {error}
          </p>
        ) : null}
        <div className="form__actions">
          <button type="button" className="button button--ghost" onClick={() => onDone(false)}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="button button--primary" data-testid="rule-save">
            {t('common.save')}
          </button>
        </div>
      </form>
    </Card>
  );
}

function ConditionRow({
  condition: c,
  fields,
  types,
  onChange,
  onRemove,
}: {
  condition: ConditionDraft;
  fields: RuleField[];
  types: RuleVocabulary['fields'];
  onChange: (c: ConditionDraft) => void;
  onRemove: () => void;
}) {
  const { t } = useAdminI18n();
  const type = types[c.field];
  const ops = OPS[type];
  const many = ['in', 'notIn', 'containsAny', 'notContainsAny'].includes(c.op);
  return (
    <div className="rule__row" data-testid="rule-condition">
      <select
        aria-label={t('rules.field')}
        value={c.field}
        onChange={(e) => {
          const field = e.target.value as RuleField;
          const nextOps = OPS[types[field]];
          const keep = nextOps.find((op) => op === c.op);
          onChange({ field, op: keep ?? nextOps[0] ?? 'eq', value: '' });
        }}
      >
        {fields.map((f) => (
          <option key={f} value={f}>
            {f}
          </option>
        ))}
      </select>
      <select
        aria-label={t('rules.op')}
        value={c.op}
        onChange={(e) => onChange({ ...c, op: e.target.value })}
      >
        {ops.map((op) => (
          <option key={op} value={op}>
            {t(`rules.op.${op}`)}
          </option>
        ))}
      </select>
      {type === 'boolean' || c.op === 'exists' ? (
        <select
          aria-label={t('rules.value')}
          value={c.value || 'true'}
          onChange={(e) => onChange({ ...c, value: e.target.value })}
        >
          <option value="true">{t('rules.yes')}</option>
          <option value="false">{t('rules.no')}</option>
        </select>
      ) : type === 'text' ? (
        <textarea
          aria-label={t('rules.value')}
          rows={2}
          dir="auto"
          placeholder={t('rules.keywordsHint')}
          value={c.value}
          onChange={(e) => onChange({ ...c, value: e.target.value })}
        />
      ) : (
        <input
          aria-label={t('rules.value')}
          dir="auto"
          inputMode={type === 'number' && !many ? 'decimal' : undefined}
          placeholder={many ? t('rules.listHint') : undefined}
          value={c.value}
          onChange={(e) => onChange({ ...c, value: e.target.value })}
        />
      )}
      <button
        type="button"
        className="icon-button"
        aria-label={t('rules.remove')}
        onClick={onRemove}
      >
        ×
      </button>
    </div>
  );
}

function ActionRow({
  action: a,
  types,
  refs,
  onChange,
  onRemove,
}: {
  action: ActionDraft;
  types: ActionType[];
  refs: Refs;
  onChange: (a: ActionDraft) => void;
  onRemove: () => void;
}) {
  const { t, locale } = useAdminI18n();
  const options = (kind: ParamKind): { value: string; label: string }[] | null => {
    switch (kind) {
      case 'level':
        return [
          { value: '', label: t('conv.escalateNext') },
          ...[1, 2, 3, 4].map((l) => ({ value: String(l), label: t('level.short', { level: l }) })),
        ];
      case 'category':
        return refs.categories.map((c) => ({ value: c.key, label: c.names[locale] }));
      case 'team':
        return refs.teams.map((x) => ({ value: x.id, label: x.name }));
      case 'user':
        return refs.users.map((x) => ({ value: x.id, label: x.name }));
      case 'priority':
        return PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }));
      case 'canned':
        return refs.canned.map((x) => ({ value: x.id, label: `/${x.shortCode}` }));
      case 'policy':
        return refs.policies.map((x) => ({ value: x.id, label: x.name }));
      case 'webhook':
        return refs.webhooks.map((x) => ({ value: x.id, label: x.name }));
      default:
        return null;
    }
  };
  return (
    <div className="rule__row" data-testid="rule-action">
      <select
        aria-label={t('rules.actionType')}
        value={a.type}
        onChange={(e) => onChange({ type: e.target.value as ActionType, params: {} })}
      >
        {types.map((x) => (
          <option key={x} value={x}>
            {t(`rules.action.${x}`)}
          </option>
        ))}
      </select>
      {ACTION_PARAMS[a.type].map((p) => {
        const list = options(p.kind);
        const value = a.params[p.key] ?? '';
        const set = (v: string) => onChange({ ...a, params: { ...a.params, [p.key]: v } });
        const label = t(`rules.param.${p.key}`);
        return list ? (
          <select
            key={p.key}
            aria-label={label}
            value={value}
            onChange={(e) => set(e.target.value)}
          >
            {p.kind === 'level' ? null : <option value="">{label}…</option>}
            {list.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        ) : (
          <input
            key={p.key}
            aria-label={label}
            placeholder={label}
            dir="auto"
            value={value}
            onChange={(e) => set(e.target.value)}
          />
        );
      })}
      <button
        type="button"
        className="icon-button"
        aria-label={t('rules.remove')}
        onClick={onRemove}
      >
        ×
      </button>
    </div>
  );
}
