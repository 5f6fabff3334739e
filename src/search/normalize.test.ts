import { describe, expect, it } from 'vitest';
import { likePattern, normalizeForSearch } from './normalize';

describe('normalizeForSearch', () => {
  it.each([
    ['Arabic yeh and kaf match Persian', 'كتاب علي', 'کتاب علی'],
    ['ZWNJ is ignored', 'می‌خواهم', 'میخواهم'],
    ['Persian digits become ASCII', '۰۹۱۲۳۴۵۶۷۸۹', '09123456789'],
    ['Arabic-Indic digits become ASCII', '٠١٢٣٤٥٦٧٨٩', '0123456789'],
    ['ё matches е, case folded', 'Ёлка ЗЕЛЁНАЯ', 'елка зеленая'],
    ['diacritics and tatweel dropped', 'مـــرسی', 'مرسی'],
    ['whitespace collapsed', '  hello \n  world ', 'hello world'],
    ['English folded', 'Refund PLEASE', 'refund please'],
    ['й keeps its breve', 'ЙОГУРТ', 'йогурт'],
  ])('%s', (_name, input, expected) => {
    expect(normalizeForSearch(input)).toBe(expected);
  });

  it('makes the spellings of one Persian word equal', () => {
    expect(normalizeForSearch('پيگيري')).toBe(normalizeForSearch('پیگیری'));
  });
});

describe('likePattern', () => {
  it('escapes wildcards', () => {
    expect(likePattern('50%_off\\')).toBe('%50\\%\\_off\\\\%');
  });
});
