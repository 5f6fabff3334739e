import { compileKeywords, findKeywords } from '../rules/keywords';

/** Words that ask for a person, in the three languages (word forms match, see keywords.ts). */
export const HANDOVER_WORDS = [
  'agent',
  'operator',
  'human',
  'person',
  'real person',
  'support',
  'оператор',
  'человек',
  'менеджер',
  'живой',
  'اپراتور',
  'کارشناس',
  'پشتیبان',
  'پشتیبانی',
  'انسان',
] as const;

/** Legal risk: whoever reads it should be a person, today. */
export const LEGAL_WORDS = [
  'lawyer',
  'attorney',
  'court',
  'sue',
  'lawsuit',
  'legal action',
  'юрист',
  'адвокат',
  'суд',
  'суди',
  'прокуратур',
  'роспотребнадзор',
  'وکیل',
  'دادگاه',
  'شکایت قضایی',
  'پلیس',
] as const;

/** Anger: better a person than a menu. */
export const ANGER_WORDS = [
  'furious',
  'outraged',
  'disgusting',
  'scam',
  'fraud',
  'worst',
  'ridiculous',
  'бесит',
  'обман',
  'мошенник',
  'позор',
  'ужас',
  'кошмар',
  'کلاهبردار',
  'افتضاح',
  'مسخره',
  'شرم',
] as const;

const handover = compileKeywords(HANDOVER_WORDS);
const legal = compileKeywords(LEGAL_WORDS);
const anger = compileKeywords(ANGER_WORDS);

export type Signal = 'asked' | 'legal' | 'anger';

/** Why this text should go to a person now, if it should. */
export function handoverSignal(text: string): Signal | null {
  if (findKeywords(text, legal).length) return 'legal';
  if (findKeywords(text, handover).length) return 'asked';
  if (findKeywords(text, anger).length) return 'anger';
  // Shouting: a long run of capitals with exclamation marks.
  const letters = text.replace(/[^A-Za-zА-Яа-яЁё]/g, '');
  if (letters.length >= 12 && letters === letters.toUpperCase() && /!{2,}/.test(text))
    return 'anger';
  return null;
}
