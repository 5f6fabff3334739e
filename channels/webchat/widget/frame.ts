// The widget's frame: the launcher button and the panel's header, connection line, message area,
// typing line and footer, in an open shadow root so the host page's CSS cannot restyle them.
import { h, icon, ICONS, type Label } from './dom';
import { intlTag, isRtl, type Lang } from './i18n';
import type { Connection } from './session';
import { STYLES } from './styles';

export function createFrame(lang: Lang, label: Label, customTitle: string | undefined) {
  const host = h('div', { id: 'switchboard-widget', 'data-switchboard': '' });
  // The host element sits in the page, so page rules could reach it; neutralise them inline.
  host.style.cssText =
    'all:initial;position:fixed;z-index:2147483000;top:0;left:0;width:0;height:0;';
  const shadow = host.attachShadow({ mode: 'open' });
  const style = h('style');
  style.textContent = STYLES;

  const badge = h('span', { class: 'sb-badge', hidden: true, 'aria-hidden': 'true' });
  const launcher = h(
    'button',
    {
      type: 'button',
      class: 'sb-launcher',
      'data-testid': 'sb-launcher',
      'aria-expanded': 'false',
      'aria-controls': 'sb-panel',
    },
    [icon(ICONS.chat, 'sb-icon sb-i-chat'), icon(ICONS.close, 'sb-icon sb-i-close'), badge],
  );

  const title = h('h2', { class: 'sb-title' });
  const subtitleText = h('span');
  const subtitle = h('p', { class: 'sb-subtitle' }, [
    h('span', { class: 'sb-dot', 'aria-hidden': 'true' }),
    subtitleText,
  ]);
  const mailButton = h(
    'button',
    {
      type: 'button',
      class: 'sb-hbtn',
      'data-testid': 'sb-contact-toggle',
      'aria-expanded': 'false',
      'aria-controls': 'sb-contact',
    },
    [icon(ICONS.mail)],
  );
  const closeButton = h('button', { type: 'button', class: 'sb-hbtn', 'data-testid': 'sb-close' }, [
    icon(ICONS.close),
  ]);
  const header = h('div', { class: 'sb-header' }, [
    h('div', { class: 'sb-avatar', 'aria-hidden': 'true' }, [icon(ICONS.support)]),
    h('div', { class: 'sb-heading' }, [title, subtitle]),
    mailButton,
    closeButton,
  ]);

  const status = h('div', {
    class: 'sb-status',
    role: 'status',
    'data-testid': 'sb-reconnecting',
    hidden: true,
  });
  const greeting = label(h('div', { class: 'sb-greeting', dir: 'auto' }), 'greeting');
  const log = h('div', {
    class: 'sb-log',
    role: 'log',
    'aria-live': 'polite',
    'data-testid': 'sb-messages',
  });
  const body = h('div', { class: 'sb-body' }, [greeting, log]);
  const typing = h('div', { class: 'sb-typing', 'data-testid': 'sb-typing', hidden: true }, [
    h('span', { class: 'sb-dots', 'aria-hidden': 'true' }, [h('i'), h('i'), h('i')]),
    label(h('span'), 'typing'),
  ]);
  const footer = label(h('div', { class: 'sb-footer' }), 'poweredBy');

  const panel = h('div', {
    class: 'sb-panel',
    id: 'sb-panel',
    role: 'dialog',
    'data-testid': 'sb-panel',
    hidden: true,
  });
  const root = h('div', { class: 'sb-root', 'data-testid': 'sb-root' }, [launcher, panel]);

  return {
    root,
    panel,
    launcher,
    mailButton,
    closeButton,
    log,
    body,

    /** Fills the panel, `middle` going between the typing line and the footer, and shows it all. */
    attach(middle: HTMLElement[]): void {
      panel.append(header, status, body, typing, ...middle, footer);
      shadow.append(style, root);
      document.body.append(host);
    },

    showLauncher(isOpen: boolean, unread: number): void {
      const { t } = lang;
      launcher.setAttribute('aria-expanded', String(isOpen));
      const base = isOpen ? t('closeChat') : t('openChat');
      launcher.setAttribute(
        'aria-label',
        unread ? `${base} (${t('unread', { n: unread })})` : base,
      );
      launcher.title = isOpen ? t('closeChat') : t('openChat');
      badge.hidden = unread === 0;
      badge.textContent = unread ? new Intl.NumberFormat(intlTag(lang.locale)).format(unread) : '';
    },

    showConnection(connection: Connection): void {
      const { t } = lang;
      const offline = connection === 'offline';
      status.hidden = !offline;
      status.textContent = offline ? t('reconnecting') : '';
      root.classList.toggle('sb-offline', offline);
      subtitleText.textContent =
        connection === 'connecting' ? t('connecting') : offline ? t('offline') : t('subtitle');
      root.dataset.connection = connection;
    },

    showAgentTyping(visible: boolean): void {
      const stick = body.scrollHeight - body.scrollTop - body.clientHeight < 80;
      typing.hidden = !visible;
      if (stick) body.scrollTop = body.scrollHeight;
    },

    /** Direction, language and the texts that are not plain labels. */
    localise(): void {
      const { t, locale } = lang;
      root.setAttribute('lang', intlTag(locale));
      root.setAttribute('dir', isRtl(locale) ? 'rtl' : 'ltr');
      const heading = customTitle ?? t('title');
      title.textContent = heading;
      panel.setAttribute('aria-label', heading);
      log.setAttribute('aria-label', t('messages'));
      mailButton.setAttribute('aria-label', t('contactToggle'));
      mailButton.title = t('contactToggle');
      closeButton.setAttribute('aria-label', t('close'));
      closeButton.title = t('close');
    },
  };
}

export type Frame = ReturnType<typeof createFrame>;
