import { describe, expect, it } from 'vitest';
import { splitReply } from './reply';

describe('splitReply', () => {
  it.each([
    [
      'Thanks!\n\nOn Mon, Mar 11, 2024 at 3:05 PM Acme <support@example.com> wrote:\n> Hello\n> there',
      'Thanks!',
    ],
    ['Thanks!\n\n-- \nAlice\nMartin & Co.', 'Thanks!'],
    ['Спасибо!\n\n> Здравствуйте\n> Ваш заказ', 'Спасибо!'],
    ['ممنون\n\n> سلام', 'ممنون'],
    ['Just a note, nothing quoted.', 'Just a note, nothing quoted.'],
  ])('%j → %j', (full, text) => {
    const out = splitReply(full);
    expect(out.text).toBe(text);
    expect(out.trimmed).toBe(text !== full);
  });

  it('keeps the whole text when nothing would be left', () => {
    expect(splitReply('> only a quote\n> nothing else')).toEqual({
      text: '> only a quote\n> nothing else',
      trimmed: false,
    });
    expect(splitReply('')).toEqual({ text: '', trimmed: false });
  });
});
