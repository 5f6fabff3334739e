import { describe, expect, it } from 'vitest';
import type { Rule, RuleVocabulary } from '../../api/ladder';
import { actionBody, conditionValue, ruleBody, ruleToDraft } from './ruleDraft';

const FIELDS = {
  'message.text': 'text',
  'message.direction': 'string',
  'complaint.level': 'number',
  'contact.tier': 'string',
  'contact.lifetimeValue': 'number',
  'complaint.repeatContact': 'boolean',
} as RuleVocabulary['fields'];

describe('rule drafts', () => {
  it('types each value from what the admin typed', () => {
    expect(conditionValue('text', 'containsAny', 'دادگاه، وکیل, суд\ncourt')).toEqual([
      'دادگاه',
      'وکیل',
      'суд',
      'court',
    ]);
    expect(conditionValue('number', 'in', '1, 2')).toEqual([1, 2]);
    expect(conditionValue('number', 'gte', ' 1000 ')).toBe(1000);
    expect(conditionValue('boolean', 'eq', 'true')).toBe(true);
    expect(conditionValue('string', 'exists', '')).toBeUndefined();
    expect(conditionValue('string', 'exists', 'false')).toBe(false);
  });

  it('round-trips a shipped rule with both all and any conditions', () => {
    const rule: Rule = {
      id: 'r1',
      name: 'A high-value customer’s complaint starts at level 2',
      event: 'complaint.created',
      conditions: {
        all: [{ field: 'complaint.level', op: 'lt', value: 2 }],
        any: [
          { field: 'contact.tier', op: 'in', value: ['platinum', 'gold'] },
          { field: 'contact.lifetimeValue', op: 'gte', value: 1000 },
        ],
      },
      actions: [{ type: 'escalate', level: 2, reason: 'a high-value customer' }],
      enabled: true,
      options: {},
      position: 20,
      version: 1,
      builtIn: 'ladder.high-value',
      createdAt: '',
      updatedAt: '',
    };
    const body = ruleBody(ruleToDraft(rule), FIELDS);
    expect(body.conditions).toEqual(rule.conditions);
    expect(body.actions).toEqual(rule.actions);
    expect(body.event).toBe('complaint.created');
  });

  it('builds actions with nested texts and leaves optional parameters out when empty', () => {
    expect(
      actionBody({
        type: 'sendMessage',
        params: { 'text.en': 'Hi', 'text.fa': 'سلام', 'text.ru': 'Привет' },
      }),
    ).toEqual({ type: 'sendMessage', text: { en: 'Hi', fa: 'سلام', ru: 'Привет' } });
    expect(actionBody({ type: 'escalate', params: { level: '', reason: '' } })).toEqual({
      type: 'escalate',
    });
    expect(actionBody({ type: 'flagLegal', params: {} })).toEqual({ type: 'flagLegal' });
  });
});
