import { describe, expect, it } from 'vitest';
import { SHORTCUT_HELP, neighbourId, shortcutFor } from './shortcuts';

const key = (
  k: string,
  extra: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean; inEditable: boolean }> = {},
) =>
  shortcutFor({
    key: k,
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    inEditable: false,
    ...extra,
  });

describe('shortcutFor', () => {
  it.each([
    ['j', 'next'],
    ['k', 'prev'],
    ['r', 'reply'],
    ['n', 'note'],
    ['e', 'resolve'],
    ['a', 'assignMe'],
    ['s', 'search'],
    ['i', 'contact'],
    ['?', 'help'],
    ['Escape', 'escape'],
  ])('%s → %s', (k, action) => {
    expect(key(k)).toBe(action);
  });

  it('leaves letters alone in text fields and with modifiers', () => {
    expect(key('j', { inEditable: true })).toBeNull();
    expect(key('r', { ctrlKey: true })).toBeNull();
    expect(key('e', { metaKey: true })).toBeNull();
    expect(key('x')).toBeNull();
  });

  it('still lets Escape leave a text field', () => {
    expect(key('Escape', { inEditable: true })).toBe('escape');
  });

  it('documents every single-key shortcut in the help', () => {
    const documented = new Set(SHORTCUT_HELP.flatMap((row) => row.keys));
    for (const k of ['j', 'k', 'r', 'n', 'e', 'a', 's', 'i', '?', '/', 'Enter'])
      expect(documented.has(k)).toBe(true);
  });
});

describe('neighbourId', () => {
  const items = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];

  it.each([
    ['b', 'next', 'c'],
    ['b', 'prev', 'a'],
    ['c', 'next', 'c'],
    ['a', 'prev', 'a'],
    [null, 'next', 'a'],
    [null, 'prev', 'a'],
    ['gone', 'next', 'a'],
    ['gone', 'prev', 'a'],
  ] as const)('from %s, %s goes to %s', (open, direction, expected) => {
    expect(neighbourId(items, open, direction)).toBe(expected);
  });

  it('has nowhere to go in an empty list', () => {
    expect(neighbourId([], null, 'next')).toBeUndefined();
    expect(neighbourId([], 'a', 'prev')).toBeUndefined();
  });
});
