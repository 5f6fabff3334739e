import { describe, expect, it } from 'vitest';
import {
  BLOCKED_IMAGE,
  attributeAction,
  contentSecurityPolicy,
  elementAction,
  isRemoteUrl,
  remoteImageSource,
} from './emailHtml';

// The DOM walk runs in the browser (exercised end to end); here the policy it applies.
describe('email HTML policy', () => {
  it.each([
    ['script', 'drop'],
    ['IFRAME', 'drop'],
    ['object', 'drop'],
    ['embed', 'drop'],
    ['meta', 'drop'],
    ['link', 'drop'],
    ['base', 'drop'],
    ['form', 'unwrap'],
    ['p', 'keep'],
    ['table', 'keep'],
    ['img', 'keep'],
    ['style', 'keep'],
  ])('<%s> → %s', (tag, action) => {
    expect(elementAction(tag)).toBe(action);
  });

  it('drops event handlers', () => {
    expect(attributeAction('img', 'onerror', 'alert(1)', false)).toEqual({ action: 'drop' });
    expect(attributeAction('body', 'ONLOAD', 'x()', true)).toEqual({ action: 'drop' });
  });

  it('drops script URLs however they are disguised', () => {
    for (const value of [
      'javascript:alert(1)',
      ' JaVaScRiPt:x',
      'java\tscript:x',
      '\u0001javascript:x',
      'vbscript:msgbox',
    ]) {
      expect(attributeAction('a', 'href', value, false)).toEqual({ action: 'drop' });
    }
    expect(attributeAction('a', 'href', 'data:text/html,<script>', false)).toEqual({
      action: 'drop',
    });
    expect(attributeAction('a', 'href', 'https://example.com', false)).toEqual({ action: 'keep' });
    expect(attributeAction('a', 'href', 'mailto:a@b.c', false)).toEqual({ action: 'keep' });
  });

  it('blocks remote images until allowed', () => {
    expect(attributeAction('img', 'src', 'https://tracker.example/p.gif', false)).toEqual({
      action: 'set',
      value: BLOCKED_IMAGE,
    });
    expect(attributeAction('img', 'src', '//tracker.example/p.gif', false)).toEqual({
      action: 'set',
      value: BLOCKED_IMAGE,
    });
    expect(attributeAction('img', 'src', 'https://tracker.example/p.gif', true)).toEqual({
      action: 'keep',
    });
    expect(attributeAction('img', 'srcset', 'https://x/a.png 2x', false)).toEqual({
      action: 'drop',
    });
    expect(attributeAction('td', 'background', 'https://x/bg.png', false)).toEqual({
      action: 'drop',
    });
    expect(attributeAction('img', 'src', 'data:image/png;base64,AAAA', false)).toEqual({
      action: 'keep',
    });
  });

  it('keeps harmless attributes', () => {
    expect(attributeAction('td', 'style', 'color:red', false)).toEqual({ action: 'keep' });
    expect(attributeAction('table', 'width', '100%', false)).toEqual({ action: 'keep' });
  });

  it('allows remote images in the CSP only when the agent allowed them', () => {
    expect(contentSecurityPolicy(false)).toBe(
      "default-src 'none'; img-src data: ; style-src 'unsafe-inline'",
    );
    expect(contentSecurityPolicy(true)).toContain('img-src data: https:');
    expect(isRemoteUrl(' HTTP://x')).toBe(true);
    expect(isRemoteUrl('cid:abc')).toBe(false);
  });

  it('reveals an image the server kept blocked (data-remote-src) only as http(s)', () => {
    expect(remoteImageSource('IMG', 'https://cdn.example/a.png')).toBe('https://cdn.example/a.png');
    expect(remoteImageSource('img', '//cdn.example/a.png')).toBe('https://cdn.example/a.png');
    expect(remoteImageSource('img', 'javascript:alert(1)')).toBeUndefined();
    expect(remoteImageSource('a', 'https://cdn.example/a.png')).toBeUndefined();
  });
});
