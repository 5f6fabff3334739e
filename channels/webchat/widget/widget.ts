// Switchboard web-chat widget: one <script> tag puts a chat launcher on any site and talks to
// the server's `/webchat` socket.io namespace. Everything lives in an open shadow root so the host
// page's CSS cannot restyle it, and all customer/agent text goes in as text nodes only.
import { readConfig, type Config } from './config';
import { createComposer } from './composer';
import { createContactForm } from './contact';
import { labels } from './dom';
import { createFrame } from './frame';
import { normalizeLocale, translator, type Lang } from './i18n';
import { createMessageList } from './messageList';
import { createSession } from './session';
import { storageGet, storageSet } from './storage';
import { MessageStore } from './store';
import { AgentTyping, TypingEmitter } from './typing';
import { SEEN_KEY } from './util';

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

/** Builds the widget into the page and wires its parts together. */
function mount(config: Config): SwitchboardApi {
  const lang: Lang = { locale: config.locale, t: translator(config.locale) };
  const texts = labels();
  const store = new MessageStore();
  let isOpen = false;
  let seenAt = storageGet(SEEN_KEY);

  const frame = createFrame(lang, texts.label, config.title);
  const list = createMessageList({
    lang,
    store,
    log: frame.log,
    body: frame.body,
    onRetry: resend,
    onQuickReply: (value) => sendText(value),
    onRendered: () => {
      if (isOpen) markSeen();
      updateLauncher();
    },
  });
  const agentTyping = new AgentTyping(frame.showAgentTyping);
  const typingEmitter = new TypingEmitter((value) => session.typing(value));
  const sendText = (text: string) => {
    const pending = store.addPending(text);
    list.scheduleRender(true);
    transmit(pending.id, text);
  };
  const composer = createComposer(lang, typingEmitter, sendText);
  const contact = createContactForm(lang, texts.label, frame.mailButton, (value, reply) =>
    session.request('contact', value, reply),
  );
  const session = createSession(config.base, config.inboxId, {
    connection: (state) => frame.showConnection(state),
    longOutage: () => {
      if (!contact.saved) contact.show(true, false);
    },
    conversation: (id, changed) => {
      if (changed) {
        store.clearConfirmed();
        list.scheduleRender();
      }
      if (id) frame.root.dataset.conversationId = id;
    },
    message: (message) => {
      const { replaced } = store.receive(message);
      if (replaced) list.rekey(replaced, String(message.id));
      if (message.direction === 'out') agentTyping.update(false);
      list.scheduleRender();
    },
    agentTyping: (typing) => agentTyping.update(typing),
  });
  frame.attach([contact.form, composer.counter, composer.form]);

  function transmit(localId: string, text: string): void {
    // The local id doubles as clientId: a retry after a lost ack is stored once, not twice.
    session.request(
      'message',
      { text, clientId: localId, locale: lang.locale },
      (error, serverId) => {
        if (!error && serverId !== null) {
          list.rekey(localId, serverId);
          store.ack(localId, serverId);
        } else {
          store.fail(localId, error ?? {});
        }
        list.scheduleRender();
      },
    );
  }

  function resend(localId: string): void {
    const m = store.retry(localId);
    if (!m) return;
    list.scheduleRender();
    transmit(localId, m.text);
  }

  function markSeen(): void {
    const latest = store.latestCreatedAt();
    if (latest && latest !== seenAt) {
      seenAt = latest;
      storageSet(SEEN_KEY, latest);
    }
  }

  function updateLauncher(): void {
    frame.showLauncher(isOpen, isOpen ? 0 : store.unreadSince(seenAt));
  }

  function applyLocale(): void {
    lang.t = translator(lang.locale);
    texts.fill(lang.t);
    frame.localise();
    composer.localise();
    contact.localise();
    updateLauncher();
    frame.showConnection(session.connection);
    list.rebuild();
  }

  function open(): void {
    if (isOpen) return;
    isOpen = true;
    frame.panel.hidden = false;
    frame.root.classList.add('sb-open');
    session.connect();
    list.render();
    frame.body.scrollTop = frame.body.scrollHeight;
    composer.focus({ preventScroll: true });
  }

  function close(): void {
    if (!isOpen) return;
    isOpen = false;
    frame.panel.hidden = true;
    frame.root.classList.remove('sb-open');
    typingEmitter.stop();
    updateLauncher();
  }

  frame.launcher.addEventListener('click', () => (isOpen ? close() : open()));
  frame.closeButton.addEventListener('click', () => {
    close();
    frame.launcher.focus();
  });
  frame.panel.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      close();
      frame.launcher.focus();
    }
  });

  applyLocale();
  // A returning visitor reconnects at once so agent replies show up as an unread badge; a new
  // visitor connects only on first open, so page views alone do not create conversations.
  if (session.returning) session.connect();

  return {
    open,
    close,
    setLocale(value: string) {
      const next = normalizeLocale(value);
      if (!next || next === lang.locale) return;
      lang.locale = next;
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
