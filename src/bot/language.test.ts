import { describe, expect, it } from 'vitest';
import { detectLanguage, languageFromTag, languageOfScript } from './language';

describe('bot language', () => {
  it.each([
    ['fa-IR', 'fa'],
    ['ru_RU', 'ru'],
    ['EN', 'en'],
    ['de', null],
    ['', null],
    [null, null],
  ])('tag %s → %s', (tag, expected) => expect(languageFromTag(tag)).toBe(expected));

  it.each([
    ['سلام، سفارشم کجاست؟', 'fa'],
    ['Здравствуйте, где мой заказ?', 'ru'],
    ['Hello, where is my order?', null],
    ['😀😀', null],
    ['12345', null],
    ['order №5 заказ', 'ru'],
  ])('script of %s → %s', (text, expected) => expect(languageOfScript(text)).toBe(expected));

  it('prefers the profile, then the channel hint, then the script', () => {
    expect(detectLanguage({ profile: 'ru', hint: 'fa', text: 'hello' })).toBe('ru');
    expect(detectLanguage({ profile: null, hint: 'fa-IR', text: 'привет' })).toBe('fa');
    expect(detectLanguage({ profile: 'de', hint: undefined, text: 'привет' })).toBe('ru');
    expect(detectLanguage({ text: 'hello' })).toBeNull();
  });
});
