// Tiny element builders. Text always goes in through text nodes, never through HTML parsing, so
// nothing a customer or agent writes can become markup.

import type { MessageKey, Translate } from './i18n';

type Attrs = Record<string, string | boolean | undefined>;
type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  children: Child[] = [],
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return el;
}

/** Registers an element whose whole text is one translation; returns the element. */
export type Label = <T extends HTMLElement>(el: T, key: MessageKey) => T;

/** Elements whose text is a plain translation, re-filled when the locale changes. */
export function labels(): { label: Label; fill: (t: Translate) => void } {
  const labelled: Array<[HTMLElement, MessageKey]> = [];
  return {
    label: (el, key) => {
      labelled.push([el, key]);
      return el;
    },
    fill: (t) => {
      for (const [el, key] of labelled) el.textContent = t(key);
    },
  };
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** A 24×24 stroke icon from static path data (decorative: hidden from assistive tech). */
export function icon(paths: string[], className = 'sb-icon'): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', className);
  for (const d of paths) {
    const path = document.createElementNS(SVG_NS, 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
}

export const ICONS = {
  chat: ['M21 12a8 8 0 0 1-11.6 7.1L4 20.5l1.4-4.9A8 8 0 1 1 21 12Z'],
  close: ['M6 6l12 12', 'M18 6 6 18'],
  send: ['M4 12 20 4l-6 16-3-7-7-1Z', 'M11 13l9-9'],
  mail: ['M4 6h16v12H4z', 'm4 7 8 6 8-6'],
  support: [
    'M4 13a8 8 0 0 1 16 0',
    'M4 13v3a2 2 0 0 0 2 2h1v-6H6a2 2 0 0 0-2 2',
    'M20 13v3a2 2 0 0 1-2 2h-1v-6h1a2 2 0 0 1 2 2',
  ],
};
