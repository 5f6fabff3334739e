import { describe, expect, it } from 'vitest';
import type { CannedResponse } from '../api/types';
import { applyCanned, cannedTrigger, fillTemplate, matchCanned } from './canned';
import type { TemplateContext } from './canned';

const ctx: TemplateContext = {
  contact: {
    name: 'Sara Ahmadi',
    language: 'fa',
    tier: 'gold',
    customAttributes: { plan: 'Pro', orders: 12 },
    identities: [
      { kind: 'email', value: 'sara@example.com', state: 'ok', stateReason: null },
      { kind: 'phone', value: '+989121234567', state: 'ok', stateReason: null },
    ],
  },
  agent: { name: 'Maya Stone', email: 'maya@example.com' },
  conversation: { id: 'c-1', channel: 'sms' },
};

describe('fillTemplate', () => {
  it.each([
    ['Hi {{contact.name}}!', 'Hi Sara Ahmadi!'],
    ['Hi {{ contact.first_name }},', 'Hi Sara,'],
    ['{{contact.firstName}} {{contact.last_name}}', 'Sara Ahmadi'],
    [
      'We will email {{contact.email}} or call {{contact.phone}}',
      'We will email sara@example.com or call +989121234567',
    ],
    [
      'Your {{contact.tier}} plan: {{contact.plan}} ({{contact.custom.orders}} orders)',
      'Your gold plan: Pro (12 orders)',
    ],
    ['— {{agent.name}}, ref {{conversation.id}}', '— Maya Stone, ref c-1'],
    ['سلام {{contact.first_name}} عزیز', 'سلام Sara عزیز'],
  ])('%s', (template, expected) => {
    expect(fillTemplate(template, ctx)).toBe(expected);
  });

  it('uses a fallback when the value is unknown', () => {
    expect(fillTemplate('Hi {{contact.first_name | there}}!', {})).toBe('Hi there!');
  });

  it('leaves no braces or doubled spaces for unknown values', () => {
    expect(fillTemplate('Hi {{contact.name}}, thanks {{unknown.thing}} for writing', {})).toBe(
      'Hi, thanks for writing',
    );
  });

  it('does not interpret HTML; it is only text', () => {
    expect(fillTemplate('{{contact.name}}', { contact: { name: '<b>x</b>' } })).toBe('<b>x</b>');
  });
});

describe('cannedTrigger', () => {
  it('opens at the start of the text or after a space', () => {
    expect(cannedTrigger('/ref', 4)).toEqual({ start: 0, query: 'ref' });
    expect(cannedTrigger('Hello /gre', 10)).toEqual({ start: 6, query: 'gre' });
    expect(cannedTrigger('/', 1)).toEqual({ start: 0, query: '' });
  });

  it('stays closed inside words, URLs and after a space following the code', () => {
    expect(cannedTrigger('and/or', 6)).toBeNull();
    expect(cannedTrigger('see http://x/y', 14)).toBeNull();
    expect(cannedTrigger('/ref done', 9)).toBeNull();
  });

  it('looks only at the text before the caret', () => {
    expect(cannedTrigger('/thanks and more', 7)).toEqual({ start: 0, query: 'thanks' });
  });
});

describe('matchCanned and applyCanned', () => {
  const list: CannedResponse[] = [
    { id: '1', shortCode: 'thanks', content: 'Thank you {{contact.first_name}}!' },
    { id: '2', shortCode: 'refund', content: 'Your refund is on its way.' },
    { id: '3', shortCode: 'hello-fa', content: 'سلام، چطور می‌توانم کمک کنم؟' },
    { id: '4', shortCode: 'sorry-thanks', content: 'Sorry for the wait.' },
  ];

  it('ranks short-code prefix matches first, then contained, then content', () => {
    expect(matchCanned(list, 'thanks').map((c) => c.id)).toEqual(['1', '4']);
    expect(matchCanned(list, 'way').map((c) => c.id)).toEqual(['2']);
    expect(matchCanned(list, 'كمك').map((c) => c.id)).toEqual(['3']);
    expect(matchCanned(list, '')).toHaveLength(4);
  });

  it('replaces the typed code with the filled response and moves the caret after it', () => {
    const text = 'Hi! /tha';
    const trigger = cannedTrigger(text, text.length);
    expect(trigger).not.toBeNull();
    const result = applyCanned(
      text,
      trigger ?? { start: 0, query: '' },
      text.length,
      'Thank you Sara!',
    );
    expect(result).toEqual({ text: 'Hi! Thank you Sara!', caret: 19 });
  });
});
