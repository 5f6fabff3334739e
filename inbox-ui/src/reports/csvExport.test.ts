import { describe, expect, it } from 'vitest';
import { csvCell, csvFileName, toCsv } from './csvExport';

describe('CSV export', () => {
  it('starts with a byte-order mark and ends rows with CRLF', () => {
    const csv = toCsv(['channel', 'count'], [['webchat', 3]]);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv.slice(1)).toBe('channel,count\r\nwebchat,3\r\n');
  });

  it('keeps Persian and Russian text as it is', () => {
    const csv = toCsv(['نام', 'Имя'], [['شکایت‌ها', 'Жалобы']]);
    expect(csv).toBe('\uFEFFنام,Имя\r\nشکایت‌ها,Жалобы\r\n');
  });

  it.each([
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['+1 555', "'+1 555"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
    ['\r=1', `"'\r=1"`],
  ])('a cell starting like a formula (%j) is made text', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it('quotes separators, quotes and line breaks', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('a;b')).toBe('"a;b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('plain')).toBe('plain');
  });

  it('writes numbers as numbers (a negative one is not a formula) and empty cells as nothing', () => {
    expect(csvCell(-12.5)).toBe('-12.5');
    expect(csvCell('-12.50')).toBe('-12.50');
    expect(csvCell('-12.50+A1')).toBe("'-12.50+A1");
    expect(csvCell('-1e3')).toBe("'-1e3");
    expect(csvCell(0)).toBe('0');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });

  it('names files safely', () => {
    expect(csvFileName('by channel', '2025-01-01', '2025-01-31')).toBe(
      'by-channel_2025-01-01_2025-01-31.csv',
    );
    expect(csvFileName('../../etc/passwd', 'a', 'b')).toBe('..-..-etc-passwd_a_b.csv');
    expect(csvFileName('کانال‌ها', '1', '2')).toBe('کانال-ها_1_2.csv');
    expect(csvFileName('///', '1', '2')).toBe('report_1_2.csv');
  });
});
