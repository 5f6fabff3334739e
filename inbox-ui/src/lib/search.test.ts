import { describe, expect, it } from 'vitest';
import {
  foldForSearch,
  highlightRanges,
  matchesSearch,
  snippetAround,
  splitHighlights,
} from './search';

describe('foldForSearch', () => {
  it.each([
    ['Arabic yeh and kaf become Persian', 'كريم علي', 'کریم علی'],
    ['alef maksura becomes Persian yeh', 'موسى', 'موسی'],
    ['ZWNJ is ignored', 'می\u200cخواهم', 'میخواهم'],
    ['Persian digits become ASCII', '۰۹۱۲۳۴۵۶۷۸۹', '09123456789'],
    ['Arabic-Indic digits become ASCII', '٠١٢٣٤٥٦٧٨٩', '0123456789'],
    ['ё becomes е, case folded', 'Ёлка ЁЖ', 'елка еж'],
    ['harakat and tatweel are dropped', 'مُحَمَّـد', 'محمد'],
    ['teh marbuta becomes heh', 'مدرسة', 'مدرسه'],
    ['whitespace collapses', '  Hello \n\t World ', 'hello world'],
    ['Latin is lower-cased', 'ORDER #A12', 'order #a12'],
  ])('%s', (_name, input, expected) => {
    expect(foldForSearch(input)).toBe(expected);
  });
});

describe('matchesSearch', () => {
  it('finds Persian written with an Arabic keyboard', () => {
    expect(matchesSearch('سفارش من کی می‌رسد؟', 'كي ميرسد')).toBe(true);
  });

  it('finds phone numbers typed in Persian digits', () => {
    expect(matchesSearch('+98 912 345 6789', '۹۱۲ ۳۴۵')).toBe(true);
  });

  it('finds Russian regardless of ё', () => {
    expect(matchesSearch('Всё ещё не доставлено', 'все еще')).toBe(true);
  });

  it('matches everything for an empty query and nothing unrelated', () => {
    expect(matchesSearch('anything', '  ')).toBe(true);
    expect(matchesSearch('refund', 'invoice')).toBe(false);
  });
});

describe('highlightRanges', () => {
  it('maps matches back to the original text, across dropped characters', () => {
    const text = 'می\u200cخواهم پس بدهم';
    const [range] = highlightRanges(text, 'میخواهم');
    expect(range).toEqual([0, 8]);
    expect(text.slice(...(range ?? [0, 0]))).toBe('می\u200cخواهم');
  });

  it('finds every occurrence', () => {
    expect(highlightRanges('Ёж и еж', 'еж')).toEqual([
      [0, 2],
      [5, 7],
    ]);
  });

  it('highlights digits written differently', () => {
    const text = 'Order ۱۲۳۴ is late';
    const [range] = highlightRanges(text, '1234');
    expect(text.slice(...(range ?? [0, 0]))).toBe('۱۲۳۴');
  });

  it('splits text into marked and plain parts', () => {
    expect(splitHighlights('Где мой заказ?', 'ЗАКАЗ')).toEqual([
      { text: 'Где мой ', match: false },
      { text: 'заказ', match: true },
      { text: '?', match: false },
    ]);
    expect(splitHighlights('plain', '')).toEqual([{ text: 'plain', match: false }]);
  });

  it('cuts a snippet around the first match', () => {
    const text = `${'a'.repeat(200)} needle ${'b'.repeat(200)}`;
    const snippet = snippetAround(text, 'needle', 20);
    expect(snippet.startsWith('…')).toBe(true);
    expect(snippet.endsWith('…')).toBe(true);
    expect(snippet).toContain('needle');
    expect(snippet.length).toBeLessThan(70);
  });
});
