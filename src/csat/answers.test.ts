import { describe, expect, it } from 'vitest';
import { parseConfirmation } from './answers';

describe('parseConfirmation', () => {
  it.each([
    ['yes', { kind: 'yes' }],
    ['Yes!', { kind: 'yes' }],
    ['بله', { kind: 'yes' }],
    ['آره', { kind: 'yes' }],
    ['حل شد', { kind: 'yes' }],
    ['Да', { kind: 'yes' }],
    ['да, спасибо', { kind: 'yes' }],
    ['yes thanks', { kind: 'yes' }],
    ['no thanks', { kind: 'no' }],
    ['no', { kind: 'no' }],
    ['No.', { kind: 'no' }],
    ['نه', { kind: 'no' }],
    ['خیر', { kind: 'no' }],
    ['حل نشد', { kind: 'no' }],
    ['нет', { kind: 'no' }],
    ['НЕТ', { kind: 'no' }],
    ['не решено', { kind: 'no' }],
    ['👍', { kind: 'yes' }],
  ])('reads %s', (text, expected) => {
    expect(parseConfirmation(text)).toEqual(expected);
  });

  it('reads ratings in any digits, as stars, as buttons and with a yes or no', () => {
    expect(parseConfirmation('5')).toEqual({ kind: 'rating', rating: 5 });
    expect(parseConfirmation('۴')).toEqual({ kind: 'rating', rating: 4 });
    expect(parseConfirmation('٣')).toEqual({ kind: 'rating', rating: 3 });
    expect(parseConfirmation('4/5')).toEqual({ kind: 'rating', rating: 4 });
    expect(parseConfirmation('⭐⭐⭐')).toEqual({ kind: 'rating', rating: 3 });
    expect(parseConfirmation('rate:2')).toEqual({ kind: 'rating', rating: 2 });
    expect(parseConfirmation('yes 5')).toEqual({ kind: 'yes', rating: 5 });
    expect(parseConfirmation('нет 1')).toEqual({ kind: 'no', rating: 1 });
  });

  it('does not take a message about the problem for an answer', () => {
    expect(parseConfirmation('No, the parcel still has not arrived and I want a refund')).toEqual({
      kind: 'none',
    });
    expect(parseConfirmation('nothing')).toEqual({ kind: 'none' });
    expect(parseConfirmation('нетрудно')).toEqual({ kind: 'none' });
    expect(parseConfirmation('نهایت')).toEqual({ kind: 'none' });
    expect(parseConfirmation('7')).toEqual({ kind: 'none' });
    expect(parseConfirmation('0')).toEqual({ kind: 'none' });
    expect(parseConfirmation('')).toEqual({ kind: 'none' });
    expect(parseConfirmation('order 12345')).toEqual({ kind: 'none' });
  });
});
