// Switchboard web-chat widget: one <script> tag puts a chat launcher on any site and talks to
// the server's `/webchat` socket.io namespace. Everything lives in an open shadow root so the host
// page's CSS cannot restyle it, and all customer/agent text goes in as text nodes only.
import { io, type Socket } from 'socket.io-client';
import { h, icon, ICONS } from './dom';
import {
  formatTime,
  intlTag,
  isRtl,
  normalizeLocale,
  resolveLocale,
  translator,
  type Locale,
  type MessageKey,
  type Translate,
} from './i18n';
import { isServerMessage, MessageStore, type ChatMessage } from './store';
import { STYLES } from './styles';
import { AgentTyping, TypingEmitter } from './typing';
import {
  ackError,
  checkContact,
  checkMessage,
  errorText,
  MAX_MESSAGE_LENGTH,
  SEEN_KEY,
  serverBase,
  TOKEN_KEY,
} from './util';

export interface SwitchboardApi {
  open(): void;
  close(): void;
  setLocale(locale: string): void;
}

declare global {
  interface Window {
    Switchboard?: SwitchboardApi;
  }
}

/** How long to wait for the server to acknowledge a message or the contact form. */
const ACK_TIMEOUT_MS = 20_000;
/** Offer the e-mail form once the connection has been gone this long. */
const OFFLINE_FORM_DELAY_MS = 5_000;
/** Show a character counter once the text gets close to the limit. */
const COUNTER_FROM = MAX_MESSAGE_LENGTH - 400;

// `document.currentScript` is only set while the script first runs, so read it right away.
const currentScript = document.currentScript as HTMLScriptElement | null;

function storageGet(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null; // Storage may be blocked (private mode, third-party iframe policies).
  }
}

function storageSet(key: string, value: string | null): void {
  try {
    if (value === null) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, value);
  } catch {
    // Without storage the visitor simply gets a fresh conversation next visit.
  }
}

interface Config {
  base: string;
  inboxId: string | undefined;
  locale: Locale;
  title: string | undefined;
}

function readConfig(): Config {
  const data = currentScript?.dataset ?? {};
  return {
    base: serverBase(currentScript?.src, location.origin),
    inboxId: data.inboxId || undefined,
    locale: resolveLocale({
      attribute: data.locale,
      search: location.search,
      browser: typeof navigator === 'undefined' ? null : navigator.language,
    }),
    title: data.title || undefined,
  };
}

type Connection = 'idle' | 'connecting' | 'online' | 'offline';

function mount(config: Config): SwitchboardApi {
  let locale = config.locale;
  let t: Translate = translator(locale);
  let isOpen = false;
  let connection: Connection = 'idle';
  let socket: Socket | null = null;
  let conversationId: string | null = null;
  let seenAt = storageGet(SEEN_KEY);
  let savedEmail: string | null = null;
  let offlineTimer: ReturnType<typeof setTimeout> | null = null;
  let renderQueued = false;
  let forceScroll = false;

  const auth: { visitorToken?: string; inboxId?: string } = {};
  const storedToken = storageGet(TOKEN_KEY);
  if (storedToken) auth.visitorToken = storedToken;
  if (config.inboxId) auth.inboxId = config.inboxId;

  const store = new MessageStore();
  /** Message rows by message id, so re-renders update in place instead of rebuilding. */
  const rows = new Map<string, HTMLElement>();
  /** Elements whose text is a plain translation, re-filled when the locale changes. */
  const labelled: Array<[HTMLElement, MessageKey]> = [];
  const label = <T extends HTMLElement>(el: T, key: MessageKey): T => {
    labelled.push([el, key]);
    return el;
  };

  // ---- static skeleton -------------------------------------------------------------------
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
  const typingText = label(h('span'), 'typing');
  const typing = h('div', { class: 'sb-typing', 'data-testid': 'sb-typing', hidden: true }, [
    h('span', { class: 'sb-dots', 'aria-hidden': 'true' }, [h('i'), h('i'), h('i')]),
    typingText,
  ]);

  // Offline / follow-up form.
  const nameInput = h('input', {
    class: 'sb-name',
    type: 'text',
    name: 'name',
    autocomplete: 'name',
    maxlength: '200',
    'data-testid': 'sb-contact-name',
  });
  const emailInput = h('input', {
    class: 'sb-email',
    type: 'email',
    name: 'email',
    autocomplete: 'email',
    inputmode: 'email',
    maxlength: '254',
    dir: 'ltr',
    'aria-describedby': 'sb-contact-error',
    'data-testid': 'sb-contact-email',
  });
  const contactError = h('p', {
    class: 'sb-error',
    id: 'sb-contact-error',
    role: 'alert',
    hidden: true,
  });
  const contactOk = h('p', { class: 'sb-ok', role: 'status', hidden: true });
  const contactSubmit = label(
    h('button', { type: 'submit', class: 'sb-cbtn', 'data-testid': 'sb-contact-submit' }),
    'contactSubmit',
  );
  const contactFields = h('div', { class: 'sb-contact-fields' }, [
    h('label', { class: 'sb-field' }, [label(h('span'), 'name'), nameInput]),
    h('label', { class: 'sb-field' }, [label(h('span'), 'email'), emailInput]),
  ]);
  contactFields.style.cssText = 'display:grid;gap:8px';
  const contactForm = h(
    'form',
    {
      class: 'sb-contact',
      id: 'sb-contact',
      novalidate: true,
      hidden: true,
      'data-testid': 'sb-contact-form',
    },
    [label(h('p'), 'contactIntro'), contactFields, contactError, contactSubmit, contactOk],
  );

  const input = h('textarea', {
    class: 'sb-input',
    rows: '1',
    maxlength: String(MAX_MESSAGE_LENGTH),
    dir: 'auto',
    'data-testid': 'sb-input',
  });
  const sendButton = h('button', { type: 'submit', class: 'sb-send', 'data-testid': 'sb-send' }, [
    icon(ICONS.send),
  ]);
  const counter = h('div', { class: 'sb-count', 'aria-live': 'polite', hidden: true });
  const composer = h('form', { class: 'sb-composer' }, [input, sendButton]);
  const footer = label(h('div', { class: 'sb-footer' }), 'poweredBy');

  const panel = h(
    'div',
    {
      class: 'sb-panel',
      id: 'sb-panel',
      role: 'dialog',
      'data-testid': 'sb-panel',
      hidden: true,
    },
    [header, status, body, typing, contactForm, counter, composer, footer],
  );

  const root = h('div', { class: 'sb-root', 'data-testid': 'sb-root' }, [launcher, panel]);
  shadow.append(style, root);
  document.body.append(host);

  // ---- locale ----------------------------------------------------------------------------
  function applyLocale(): void {
    t = translator(locale);
    root.setAttribute('lang', intlTag(locale));
    root.setAttribute('dir', isRtl(locale) ? 'rtl' : 'ltr');
    for (const [el, key] of labelled) el.textContent = t(key);
    const heading = config.title ?? t('title');
    title.textContent = heading;
    panel.setAttribute('aria-label', heading);
    log.setAttribute('aria-label', t('messages'));
    mailButton.setAttribute('aria-label', t('contactToggle'));
    mailButton.title = t('contactToggle');
    closeButton.setAttribute('aria-label', t('close'));
    closeButton.title = t('close');
    input.placeholder = t('placeholder');
    syncInputDir();
    input.setAttribute('aria-label', t('inputLabel'));
    sendButton.setAttribute('aria-label', t('send'));
    sendButton.title = t('send');
    if (savedEmail) contactOk.textContent = t('contactSaved', { email: savedEmail });
    contactError.textContent = t('invalidEmail');
    updateLauncher();
    updateConnection();
    updateCounter();
    // Times, labels and error texts inside rows are localised too: rebuild them.
    for (const el of rows.values()) el.remove();
    rows.clear();
    render();
  }

  // ---- messages --------------------------------------------------------------------------
  function fillRow(row: HTMLElement, m: ChatMessage): void {
    row.className = `sb-row sb-${m.direction} sb-${m.state}`;
    row.dataset.id = m.id;
    const who = h('span', { class: 'sb-sr' }, [
      `${m.direction === 'in' ? t('you') : t('agent')}: `,
    ]);
    const bubble = h('div', {
      class: 'sb-bubble',
      dir: 'auto',
      'data-testid': 'sb-message',
      'data-direction': m.direction,
      'data-id': m.id,
      'data-status': m.state,
    });
    bubble.textContent = m.text;
    const meta = h('div', { class: 'sb-meta' });
    if (m.state === 'pending') {
      meta.append(t('sending'));
    } else if (m.state === 'failed') {
      const localId = m.id;
      const retry = h('button', { type: 'button', class: 'sb-retry', 'data-testid': 'sb-retry' }, [
        t('retry'),
      ]);
      retry.addEventListener('click', () => resend(localId));
      meta.append(
        h('span', { class: 'sb-error', role: 'alert', 'data-testid': 'sb-error' }, [
          `${t('failed')}: ${errorText(m.error ?? {}, t)}`,
        ]),
        retry,
      );
    } else {
      const time = h('time', { datetime: m.createdAt }, [formatTime(m.createdAt, locale)]);
      meta.append(time);
    }
    row.replaceChildren(who, bubble, meta);
  }

  /** Cheap signature so unchanged rows are not touched (and not re-announced by readers). */
  const signature = (m: ChatMessage): string =>
    `${m.id}|${m.state}|${m.createdAt}|${m.text}|${m.error?.code ?? ''}|${m.error?.message ?? ''}`;

  function render(): void {
    renderQueued = false;
    const nearBottom = body.scrollHeight - body.scrollTop - body.clientHeight < 80;
    const list = store.list();
    const wanted = new Set(list.map((m) => m.id));
    for (const [id, el] of rows) {
      if (!wanted.has(id)) {
        el.remove();
        rows.delete(id);
      }
    }
    let previous: HTMLElement | null = null;
    for (const m of list) {
      let row = rows.get(m.id);
      if (!row) {
        row = h('div');
        rows.set(m.id, row);
      }
      const sig = signature(m);
      if (row.dataset.sig !== sig) {
        fillRow(row, m);
        row.dataset.sig = sig;
      }
      const expected: ChildNode | null = previous ? previous.nextSibling : log.firstChild;
      if (expected !== row) log.insertBefore(row, expected);
      previous = row;
    }
    if (nearBottom || forceScroll) body.scrollTop = body.scrollHeight;
    forceScroll = false;
    if (isOpen) markSeen();
    updateLauncher();
  }

  function scheduleRender(scrollToEnd = false): void {
    forceScroll ||= scrollToEnd;
    if (renderQueued) return;
    renderQueued = true;
    // Batch a burst of replayed history into one DOM update.
    queueMicrotask(render);
  }

  /** Moves a pending row over to its server id so the bubble is reused, not rebuilt. */
  function rekey(localId: string, serverId: string): void {
    const row = rows.get(localId);
    if (!row) return;
    rows.delete(localId);
    if (rows.has(serverId)) row.remove();
    else rows.set(serverId, row);
  }

  function markSeen(): void {
    const latest = store.latestCreatedAt();
    if (latest && latest !== seenAt) {
      seenAt = latest;
      storageSet(SEEN_KEY, latest);
    }
  }

  function updateLauncher(): void {
    launcher.setAttribute('aria-expanded', String(isOpen));
    const unread = isOpen ? 0 : store.unreadSince(seenAt);
    const base = isOpen ? t('closeChat') : t('openChat');
    launcher.setAttribute('aria-label', unread ? `${base} (${t('unread', { n: unread })})` : base);
    launcher.title = isOpen ? t('closeChat') : t('openChat');
    badge.hidden = unread === 0;
    badge.textContent = unread ? new Intl.NumberFormat(intlTag(locale)).format(unread) : '';
  }

  // ---- connection ------------------------------------------------------------------------
  function setConnection(next: Connection): void {
    connection = next;
    if (next === 'offline') {
      // A short blip should not push a form at the visitor; a longer outage should.
      offlineTimer ??= setTimeout(() => {
        offlineTimer = null;
        if (connection === 'offline' && !savedEmail) showContact(true, false);
      }, OFFLINE_FORM_DELAY_MS);
    } else if (offlineTimer !== null) {
      clearTimeout(offlineTimer);
      offlineTimer = null;
    }
    updateConnection();
  }

  function updateConnection(): void {
    const offline = connection === 'offline';
    status.hidden = !offline;
    status.textContent = offline ? t('reconnecting') : '';
    root.classList.toggle('sb-offline', offline);
    subtitleText.textContent =
      connection === 'connecting' ? t('connecting') : offline ? t('offline') : t('subtitle');
    root.dataset.connection = connection;
  }

  function connect(): Socket {
    if (socket) return socket;
    setConnection('connecting');
    const s = io(`${config.base}/webchat`, {
      auth,
      transports: ['websocket', 'polling'],
    });
    socket = s;

    // The client retries network failures by itself, but not a refusal by the server or a
    // server-side disconnect; retry those too, backing off so a refusing server is not hammered.
    let refusals = 0;
    const retryLater = (): void => {
      refusals += 1;
      setTimeout(() => s.connect(), Math.min(60_000, 2_500 * 2 ** Math.min(refusals, 5)));
    };
    s.on('connect', () => {
      refusals = 0;
      setConnection('online');
    });
    s.on('disconnect', (reason) => {
      setConnection('offline');
      agentTyping.update(false);
      if (reason === 'io server disconnect') retryLater();
    });
    s.on('connect_error', () => {
      setConnection('offline');
      if (!s.active) retryLater();
    });

    s.on('session', (payload: unknown) => {
      if (typeof payload !== 'object' || payload === null) return;
      const { visitorToken, conversationId: cid } = payload as Record<string, unknown>;
      if (typeof visitorToken === 'string' && visitorToken) {
        auth.visitorToken = visitorToken; // reused by automatic reconnects
        storageSet(TOKEN_KEY, visitorToken);
      }
      const next = typeof cid === 'string' || typeof cid === 'number' ? String(cid) : null;
      if (conversationId !== null && next !== conversationId) {
        store.clearConfirmed();
        scheduleRender();
      }
      conversationId = next;
      if (next) root.dataset.conversationId = next;
    });

    s.on('message', (payload: unknown) => {
      if (!isServerMessage(payload)) return;
      const { replaced } = store.receive(payload);
      if (replaced) rekey(replaced, String(payload.id));
      if (payload.direction === 'out') agentTyping.update(false);
      scheduleRender();
    });

    s.on('typing', (payload: unknown) => {
      const value =
        typeof payload === 'object' && payload !== null && 'typing' in payload
          ? Boolean((payload as { typing: unknown }).typing)
          : false;
      agentTyping.update(value);
    });

    return s;
  }

  // ---- typing ----------------------------------------------------------------------------
  const typingEmitter = new TypingEmitter((value) => {
    // Volatile: a typing hint that cannot be delivered now is worthless later.
    if (socket?.connected) socket.volatile.emit('typing', { typing: value });
  });
  const agentTyping = new AgentTyping((visible) => {
    const stick = body.scrollHeight - body.scrollTop - body.clientHeight < 80;
    typing.hidden = !visible;
    if (stick) body.scrollTop = body.scrollHeight;
  });

  // ---- sending ---------------------------------------------------------------------------
  function transmit(localId: string, text: string): void {
    connect()
      .timeout(ACK_TIMEOUT_MS)
      // The local id doubles as clientId: a retry after a lost ack is stored once, not twice.
      .emit('message', { text, clientId: localId }, (err: Error | null, ack: unknown) => {
        const error = err ? { code: 'timeout' } : ackError(ack);
        const id =
          typeof ack === 'object' && ack !== null ? (ack as { id?: unknown }).id : undefined;
        if (!error && (typeof id === 'string' || typeof id === 'number')) {
          const serverId = String(id);
          rekey(localId, serverId);
          store.ack(localId, serverId);
        } else {
          store.fail(localId, error ?? {});
        }
        scheduleRender();
      });
  }

  function send(): void {
    const check = checkMessage(input.value);
    if (!check.ok) {
      if (check.reason === 'too_long') updateCounter();
      return;
    }
    const pending = store.addPending(check.text);
    input.value = '';
    syncInputDir();
    autosize();
    updateCounter();
    typingEmitter.stop();
    scheduleRender(true);
    transmit(pending.id, check.text);
  }

  function resend(localId: string): void {
    const m = store.retry(localId);
    if (!m) return;
    scheduleRender();
    transmit(localId, m.text);
  }

  /**
   * `dir="auto"` lets Persian typed into the English UI (or the reverse) read naturally, but an
   * empty field would fall back to left-to-right and misalign the Persian placeholder.
   */
  function syncInputDir(): void {
    input.dir = input.value.trim() ? 'auto' : isRtl(locale) ? 'rtl' : 'ltr';
  }

  function autosize(): void {
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight + 2, 140)}px`;
  }

  function updateCounter(): void {
    const length = [...input.value].length;
    counter.hidden = length < COUNTER_FROM;
    const nf = new Intl.NumberFormat(intlTag(locale));
    counter.textContent = `${nf.format(length)} / ${nf.format(MAX_MESSAGE_LENGTH)}`;
    counter.classList.toggle('sb-over', length > MAX_MESSAGE_LENGTH);
    // Dimmed rather than `disabled`: clicking it with nothing to send is simply a no-op.
    sendButton.classList.toggle('sb-empty', !checkMessage(input.value).ok);
  }

  composer.addEventListener('submit', (event) => {
    event.preventDefault();
    send();
    input.focus();
  });
  input.addEventListener('keydown', (event) => {
    // isComposing: Enter confirms an IME candidate (common for Persian input) rather than sending.
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      send();
    }
  });
  input.addEventListener('input', () => {
    syncInputDir();
    autosize();
    updateCounter();
    if (input.value.trim()) typingEmitter.input();
    else typingEmitter.stop();
  });

  // ---- contact form ----------------------------------------------------------------------
  function showContact(visible: boolean, focus: boolean): void {
    contactForm.hidden = !visible;
    mailButton.setAttribute('aria-expanded', String(visible));
    if (visible && focus) (savedEmail ? contactSubmit : nameInput).focus();
  }

  mailButton.addEventListener('click', () => showContact(contactForm.hidden, true));

  contactForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const check = checkContact(nameInput.value, emailInput.value);
    contactOk.hidden = true;
    if (!check.ok) {
      contactError.textContent = t('invalidEmail');
      contactError.hidden = false;
      emailInput.setAttribute('aria-invalid', 'true');
      emailInput.focus();
      return;
    }
    contactError.hidden = true;
    emailInput.removeAttribute('aria-invalid');
    contactSubmit.disabled = true;
    connect()
      .timeout(ACK_TIMEOUT_MS)
      .emit('contact', check.contact, (err: Error | null, ack: unknown) => {
        contactSubmit.disabled = false;
        const error = err ? { code: 'timeout' } : ackError(ack);
        if (error) {
          contactError.textContent = errorText(error, t);
          contactError.hidden = false;
          return;
        }
        savedEmail = check.contact.email;
        contactOk.textContent = t('contactSaved', { email: savedEmail });
        contactOk.hidden = false;
      });
  });
  emailInput.addEventListener('input', () => {
    emailInput.removeAttribute('aria-invalid');
    contactError.hidden = true;
  });

  // ---- open / close ----------------------------------------------------------------------
  function open(): void {
    if (isOpen) return;
    isOpen = true;
    panel.hidden = false;
    root.classList.add('sb-open');
    connect();
    render();
    body.scrollTop = body.scrollHeight;
    input.focus({ preventScroll: true });
  }

  function close(): void {
    if (!isOpen) return;
    isOpen = false;
    panel.hidden = true;
    root.classList.remove('sb-open');
    typingEmitter.stop();
    updateLauncher();
  }

  launcher.addEventListener('click', () => (isOpen ? close() : open()));
  closeButton.addEventListener('click', () => {
    close();
    launcher.focus();
  });
  panel.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      close();
      launcher.focus();
    }
  });

  applyLocale();
  // A returning visitor reconnects at once so agent replies show up as an unread badge; a new
  // visitor connects only on first open, so page views alone do not create conversations.
  if (auth.visitorToken) connect();

  return {
    open,
    close,
    setLocale(value: string) {
      const next = normalizeLocale(value);
      if (!next || next === locale) return;
      locale = next;
      applyLocale();
    },
  };
}

function start(): void {
  // Embedding the script twice must not give two launchers.
  if (window.Switchboard) return;
  const config = readConfig();
  const boot = (): void => {
    if (window.Switchboard) return;
    window.Switchboard = mount(config);
  };
  if (document.body) boot();
  else document.addEventListener('DOMContentLoaded', boot, { once: true });
}

start();
