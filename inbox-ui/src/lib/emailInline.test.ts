import { describe, expect, it } from 'vitest';
import type { Attachment } from '../api/types';
import { inlineImages, resolveInlineImages } from './emailInline';

const file = (over: Partial<Attachment>): Attachment => ({
  id: 'a',
  fileName: 'logo.png',
  contentType: 'image/png',
  size: 10,
  url: '/api/v1/attachments/a',
  state: 'stored',
  error: null,
  ...over,
});

describe('inline images', () => {
  it('are the image attachments with a Content-ID', () => {
    const list = [
      file({ id: '1', contentId: 'logo@x' }),
      file({ id: '2' }),
      file({ id: '3', contentId: 'doc@x', contentType: 'application/pdf' }),
    ];
    expect(inlineImages(list).map((a) => a.id)).toEqual(['1']);
  });

  it('replace cid: references with the images’ data, and nothing else', () => {
    const data = 'data:image/png;base64,AAAA';
    expect(resolveInlineImages('<img alt="x" src="cid:logo@x">', { 'logo@x': data })).toBe(
      `<img alt="x" src="${data}">`,
    );
    expect(resolveInlineImages("<img src='cid:other@x'>", { 'logo@x': data })).toBe(
      "<img src='cid:other@x'>",
    );
    expect(
      resolveInlineImages('<img src="cid:logo@x">', { 'logo@x': 'data:text/html;base64,AAAA' }),
    ).toBe('<img src="cid:logo@x">');
  });
});
