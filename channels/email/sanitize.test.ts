import { describe, expect, it } from 'vitest';
import { sanitizeEmailHtml } from './sanitize';

describe('sanitizeEmailHtml', () => {
  it.each([
    ['<script>alert(1)</script><p>hi</p>', '<p>hi</p>'],
    ['<p onclick="x()" onmouseover="y()">hi</p>', '<p>hi</p>'],
    ['<img src="x" onerror="alert(1)">', '<img />'],
    ['<a href="javascript:alert(1)">x</a>', '<a target="_blank">x</a>'],
    ['<a href="JaVa\tScRiPt:alert(1)">x</a>', '<a target="_blank">x</a>'],
    ['<iframe src="https://evil.example"></iframe>ok', 'ok'],
    ['<form action="https://evil.example"><input name="password"></form>ok', 'ok'],
    ['<object data="x.swf"></object><embed src="x.swf">ok', 'ok'],
    ['<style>body{background:url(https://t.example/x)}</style>ok', 'ok'],
    ['<svg onload="alert(1)"><circle/></svg>ok', 'ok'],
    ['<meta http-equiv="refresh" content="0;url=https://evil.example">ok', 'ok'],
    ['<base href="https://evil.example/">ok', 'ok'],
    ['<link rel="stylesheet" href="https://t.example/x.css">ok', 'ok'],
  ])('%s → %s', (input, output) => {
    expect(sanitizeEmailHtml(input)).toBe(output);
  });

  it('blocks remote images, keeping their address for when the agent asks', () => {
    const html = sanitizeEmailHtml(
      '<img src="https://tracker.example/p.gif" width="1" height="1"><img src="//cdn.example/a.png">',
    );
    expect(html).not.toMatch(/\ssrc=/);
    expect(html).toContain('data-remote-src="https://tracker.example/p.gif"');
    expect(html).toContain('data-remote-src="//cdn.example/a.png"');
  });

  it('refuses a data-remote-src the sender wrote', () => {
    expect(sanitizeEmailHtml('<img data-remote-src="javascript:alert(1)">')).toBe('<img />');
  });

  it('keeps cid: and inline image data, drops other data: URLs', () => {
    expect(sanitizeEmailHtml('<img src="cid:logo@example.org">')).toBe(
      '<img src="cid:logo@example.org" />',
    );
    expect(sanitizeEmailHtml('<img src="data:image/png;base64,AAAA">')).toBe(
      '<img src="data:image/png;base64,AAAA" />',
    );
    expect(sanitizeEmailHtml('<img src="data:text/html;base64,AAAA">')).toBe('<img />');
    expect(sanitizeEmailHtml('<a href="data:text/html,x">x</a>')).toBe('<a target="_blank">x</a>');
  });

  it('keeps safe styles, drops any that could load something', () => {
    expect(sanitizeEmailHtml('<p style="color:red;font-weight:bold">x</p>')).toBe(
      '<p style="color:red;font-weight:bold">x</p>',
    );
    const html = sanitizeEmailHtml(
      '<td style="background:url(https://t.example/x.gif);color:blue" background="https://t.example/y.gif">x</td>',
    );
    expect(html).not.toMatch(/url\(|t\.example/);
    expect(sanitizeEmailHtml('<p style="width:expression(alert(1))">x</p>')).toBe('<p>x</p>');
  });

  it('keeps the structure of a normal e-mail', () => {
    const html =
      '<div dir="rtl"><p>سلام</p><blockquote type="cite"><b>quoted</b></blockquote>' +
      '<table cellpadding="2"><tr><td colspan="2">cell</td></tr></table></div>';
    expect(sanitizeEmailHtml(html)).toBe(html);
  });
});
