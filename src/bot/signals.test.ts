import { describe, expect, it } from 'vitest';
import { handoverSignal } from './signals';

describe('handover signals', () => {
  it.each([
    ['I want to talk to an agent', 'asked'],
    ['operator please', 'asked'],
    ['Human!', 'asked'],
    ['Позовите оператора', 'asked'],
    ['Мне нужен живой человек', 'asked'],
    ['با اپراتور صحبت کنم', 'asked'],
    ['کارشناس لطفا', 'asked'],
    ['پشتیبان', 'asked'],
    ['I will take you to court', 'legal'],
    ['Я подам в суд', 'legal'],
    ['به وکیلم می‌گویم', 'legal'],
    ['This is a scam', 'anger'],
    ['Это обман!', 'anger'],
    ['افتضاح است', 'anger'],
    ['WHERE IS MY PARCEL!!!', 'anger'],
  ])('%s → %s', (text, expected) => expect(handoverSignal(text)).toBe(expected));

  it.each(['Where is my order?', 'Где мой заказ?', 'سفارشم کجاست؟', 'courtesy call', 'посуда', ''])(
    'nothing in %s',
    (text) => expect(handoverSignal(text)).toBeNull(),
  );
});
