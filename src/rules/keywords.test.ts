import { describe, expect, it } from 'vitest';
import { compileKeywords, findKeywords } from './keywords';

const legal = compileKeywords([
  // Persian
  'تعزیرات',
  'حمایت از حقوق مصرف‌کننده',
  'دادگاه',
  'وکیل',
  'شکایت قانونی',
  'پلیس',
  // Russian
  'Роспотребнадзор',
  'суд',
  'адвокат',
  'прокуратура',
  'иск',
  'полиция',
  // English
  'court',
  'lawyer',
  'regulator',
  'legal action',
  'the press',
]);

describe('findKeywords', () => {
  it.each([
    // Persian: suffixes, ZWNJ or space, Arabic letter variants and diacritics.
    ['به تعزیرات شکایت می‌کنم', ['تعزیرات']],
    ['از طریق سازمان حمایت از حقوق مصرف کننده پیگیری می‌کنم', ['حمایت از حقوق مصرف‌کننده']],
    ['کارم به دادگاه می‌کشد', ['دادگاه']],
    ['با وکیلم صحبت کردم', ['وکیل']],
    ['وکیل‌ها را خبر می‌کنم', ['وکیل']],
    ['شکايت قانوني خواهم کرد', ['شکایت قانونی']],
    // Russian: case forms of nouns.
    ['Напишу в Роспотребнадзор!', ['Роспотребнадзор']],
    ['Я обращусь в суд', ['суд']],
    ['Увидимся в суде', ['суд']],
    ['подам иск против вас', ['иск']],
    ['Мой адвокат уже в курсе, адвокату всё передал', ['адвокат']],
    ['жалоба в прокуратуру', ['прокуратура']],
    ['вызову полицию', ['полиция']],
    ['ЁЛКИ, СУДОМ пригрожу', ['суд']],
    // English: plurals, case.
    ['I will take you to COURT', ['court']],
    ['my lawyers will call', ['lawyer']],
    ['I am writing to the regulator', ['regulator']],
    ['considering legal action now', ['legal action']],
    ['I will go to the press with this', ['the press']],
  ])('finds it in «%s»', (text, expected) => {
    expect(findKeywords(text, legal)).toEqual(expected);
  });

  it.each(
    [
      // Ordinary words that merely contain a stem.
      'Заказал судно на воду', // vessel, not court
      'Разбилась посуда в посылке', // dishes
      'Не могу найти, буду искать дальше', // to search, not lawsuit
      'Спасибо за судоку в журнале',
      'Thanks for the courtesy', // not court
      'the courtyard door was locked',
      'please press the button', // press, not the press
      'دادم به همسایه', // «I gave», not court
      'پلیسی نیستم ولی', // still matches? no: «ی» is an allowed ending — see the next test
    ].slice(0, 8),
  )('does not find anything in «%s»', (text) => {
    expect(findKeywords(text, legal)).toEqual([]);
  });

  it('accepts the indefinite and adjectival «ی», which Persian adds to any noun', () => {
    expect(findKeywords('یک پلیسی آمد', legal)).toEqual(['پلیس']);
  });

  it('reports each keyword once, in the order given, however often it appears', () => {
    expect(findKeywords('суд, суды, судом; court and COURTS', legal)).toEqual(['суд', 'court']);
  });

  it('ignores empty keywords', () => {
    expect(compileKeywords(['', '  ', '!!'])).toEqual([]);
  });
});
