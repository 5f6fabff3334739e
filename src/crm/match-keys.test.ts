import { describe, expect, it } from 'vitest';
import {
  NAME_THRESHOLD,
  emailKey,
  jaroWinkler,
  latinWords,
  nameKey,
  nameSimilarity,
  phoneKey,
  skeleton,
} from './match-keys';

describe('emailKey', () => {
  it('folds case, +tags and Gmail dots', () => {
    expect(emailKey('John.Smith+shop@GoogleMail.com')).toBe('johnsmith@gmail.com');
    expect(emailKey(' JOHNSMITH@gmail.com ')).toBe('johnsmith@gmail.com');
    expect(emailKey('a.b+news@yahoo.com')).toBe('a.b@yahoo.com');
  });
  it('keeps dots outside Gmail and refuses what is no address', () => {
    expect(emailKey('a.b@example.org')).not.toBe(emailKey('ab@example.org'));
    expect(emailKey('not an address')).toBeNull();
    expect(emailKey('@example.org')).toBeNull();
    expect(emailKey('x@localhost')).toBeNull();
  });
});

describe('phoneKey', () => {
  it('reads Persian and Arabic-Indic digits, 00 and a national 0 in the country', () => {
    const e164 = '+989121234567';
    expect(phoneKey('۰۹۱۲ ۱۲۳ ۴۵۶۷', 'IR')).toBe(e164);
    expect(phoneKey('٠٩١٢١٢٣٤٥٦٧', 'IR')).toBe(e164);
    expect(phoneKey('00989121234567')).toBe(e164);
    expect(phoneKey('+98 (912) 123-4567')).toBe(e164);
    expect(phoneKey('8 (916) 123-45-67', 'RU')).toBe('+79161234567');
  });
  it('is null for a national number without a country, and for text', () => {
    expect(phoneKey('09121234567')).toBeNull();
    expect(phoneKey('call me')).toBeNull();
  });
});

describe('names across scripts', () => {
  it('transliterates Persian as Persians say it and Cyrillic by any-ascii', () => {
    expect(latinWords('محمد رضایی')).toEqual(['mhmd', 'rzayy']);
    expect(latinWords('Сергей Иванов')).toEqual(['sergey', 'ivanov']);
    expect(latinWords('Telegram 4821')).toEqual([]);
    expect(latinWords('Anna 2nd Smith')).toEqual(['anna', 'smith']);
  });
  it('skeletons merge romanisations', () => {
    expect(skeleton('mukhammad')).toBe(skeleton('mohammad'));
    expect(skeleton('fatemeh')).toBe('ftm');
    expect(skeleton('alexei')).toBe(skeleton('aleksey'));
  });
  it.each([
    ['محمد رضایی', 'Mohammad Rezaei'],
    ['Мухаммад Резаи', 'Mohammad Rezaei'],
    ['فاطمه احمدی', 'Fatemeh Ahmadi'],
    ['Фатима Ахмади', 'Fatemeh Ahmadi'],
    ['حسین کریمی', 'Хосейн Карими'],
    ['Сергей Иванов', 'Sergei Ivanov'],
    ['Ivanov Sergey', 'Sergey Ivanov'],
    ['Наталья Орлова', 'Natalya Orlova'],
    ['John Smith', 'John Smyth'],
    ['Aleksandr Pushkin', 'Alexander Pushkin'],
  ])('%s ≈ %s', (a, b) => {
    expect(nameSimilarity(a, b)).toBeGreaterThanOrEqual(NAME_THRESHOLD);
  });
  it.each([
    ['Ivan Petrov', 'Ivan Sidorov'],
    ['Ivan Petrov', 'Olga Petrova'],
    ['Anna Smith', 'Anna Schmidt'],
    ['حسین کریمی', 'Mohammad Rezaei'],
    ['Vipome Mefiba', 'Vitepo Mefiba'],
    ['Mohammad Rezaei', 'Mohammad Reza Rezaei'],
    ['Maria Garcia', 'Mario Garcia'],
    ['Dedesa Poviku', 'Desade Poviku'],
  ])('%s is not %s', (a, b) => {
    expect(nameSimilarity(a, b)).toBeLessThan(NAME_THRESHOLD);
  });
  it('does not match on one word or a default name', () => {
    expect(nameKey('Ali')).toBeNull();
    expect(nameKey('Telegram 12345')).toBeNull();
    expect(nameSimilarity('Visitor AB12CD', 'Visitor AB12CE')).toBeNull();
    expect(nameSimilarity('Visitor ABCDEF', 'Visitor ABCDEG')).toBeNull();
    expect(nameKey('c12@sim.example.com')).toBeNull();
    expect(nameKey('Sara Ahmadi <sara@example.com>')?.key).toBe(nameKey('Sara Ahmadi')?.key);
  });
});

describe('jaroWinkler', () => {
  it('matches the textbook values', () => {
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.961, 3);
    expect(jaroWinkler('dixon', 'dicksonx')).toBeCloseTo(0.813, 3);
    expect(jaroWinkler('abc', 'abc')).toBe(1);
    expect(jaroWinkler('abc', '')).toBe(0);
  });
});

// Common names as Iranians and Russians write them and as they are romanised.
const NAMES: [string, string][] = [
  ['Mohammad', 'محمد'],
  ['Ali', 'علی'],
  ['Reza', 'رضا'],
  ['Hossein', 'حسین'],
  ['Mehdi', 'مهدی'],
  ['Hamid', 'حمید'],
  ['Saeed', 'سعید'],
  ['Amir', 'امیر'],
  ['Fatemeh', 'فاطمه'],
  ['Zahra', 'زهرا'],
  ['Maryam', 'مریم'],
  ['Sara', 'سارا'],
  ['Narges', 'نرگس'],
  ['Leila', 'لیلا'],
  ['Parisa', 'پریسا'],
  ['Javad', 'جواد'],
  ['Vahid', 'وحید'],
  ['Hooman', 'هومن'],
  ['Kaveh', 'کاوه'],
  ['Nima', 'نیما'],
  ['Rezaei', 'رضایی'],
  ['Ahmadi', 'احمدی'],
  ['Mousavi', 'موسوی'],
  ['Hosseini', 'حسینی'],
  ['Karimi', 'کریمی'],
  ['Jafari', 'جعفری'],
  ['Rahimi', 'رحیمی'],
  ['Hashemi', 'هاشمی'],
  ['Sadeghi', 'صادقی'],
  ['Moradi', 'مرادی'],
  ['Ghasemi', 'قاسمی'],
  ['Kazemi', 'کاظمی'],
  ['Najafi', 'نجفی'],
  ['Sharifi', 'شریفی'],
  ['Tehrani', 'تهرانی'],
  ['Davoodi', 'داوودی'],
  ['Khosravi', 'خسروی'],
  ['Shirazi', 'شیرازی'],
  ['Ebrahimi', 'ابراهیمی'],
  ['Rostami', 'رستمی'],
  ['Ivan', 'Иван'],
  ['Sergey', 'Сергей'],
  ['Alexei', 'Алексей'],
  ['Dmitry', 'Дмитрий'],
  ['Olga', 'Ольга'],
  ['Natalya', 'Наталья'],
  ['Elena', 'Елена'],
  ['Anna', 'Анна'],
  ['Mikhail', 'Михаил'],
  ['Andrei', 'Андрей'],
  ['Ivanov', 'Иванов'],
  ['Smirnov', 'Смирнов'],
  ['Kuznetsov', 'Кузнецов'],
  ['Popov', 'Попов'],
  ['Volkov', 'Волков'],
  ['Sokolov', 'Соколов'],
  ['Lebedev', 'Лебедев'],
  ['Kozlov', 'Козлов'],
  ['Novikov', 'Новиков'],
  ['Morozov', 'Морозов'],
];

describe('common names in two scripts have one key', () => {
  it.each(NAMES)('%s = %s', (latin, native) => {
    expect(nameKey(`${native} Tabrizi`)?.key).toBe(nameKey(`${latin} Tabrizi`)?.key);
  });
  it('keeps letters that only look like a digraph apart (ز+ه, ک+ه)', () => {
    expect(nameKey('زهرا کهن')?.key).toBe(nameKey('Zahra Kohan')?.key);
  });
});
