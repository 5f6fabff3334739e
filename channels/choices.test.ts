import { describe, expect, it } from 'vitest';
import { textWithChoices } from './choices';

describe('textWithChoices', () => {
  it('lists the buttons as numbers under the text', () => {
    expect(
      textWithChoices({
        text: 'آیا مشکل حل شد؟',
        buttons: [
          { label: 'بله', value: 'yes' },
          { label: 'خیر', value: 'no' },
        ],
      }),
    ).toBe('آیا مشکل حل شد؟\n\n1. بله\n2. خیر');
  });

  it('leaves a message without buttons as it is', () => {
    expect(textWithChoices({ text: 'Hello  ' })).toBe('Hello  ');
    expect(textWithChoices({ text: 'Hello', buttons: [] })).toBe('Hello');
  });
});
