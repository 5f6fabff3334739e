// The conversation as rows in the panel's log, updated in place from the message store.
import { h } from './dom';
import { formatTime, type Lang } from './i18n';
import type { ChatMessage, MessageStore } from './store';
import { errorText } from './util';

interface Options {
  lang: Lang;
  store: MessageStore;
  /** Where the rows go. */
  log: HTMLElement;
  /** What scrolls. */
  body: HTMLElement;
  onRetry: (localId: string) => void;
  /** A quick-reply button under the latest message was pressed. */
  onQuickReply: (value: string) => void;
  /** After every render: the unread count may have changed. */
  onRendered: () => void;
}

/** Cheap signature so unchanged rows are not touched (and not re-announced by readers). */
export function rowSignature(m: ChatMessage): string {
  return `${m.id}|${m.state}|${m.createdAt}|${m.text}|${m.error?.code ?? ''}|${m.error?.message ?? ''}|${m.buttons?.length ?? 0}`;
}

export function createMessageList({
  lang,
  store,
  log,
  body,
  onRetry,
  onQuickReply,
  onRendered,
}: Options) {
  /** Message rows by message id, so re-renders update in place instead of rebuilding. */
  const rows = new Map<string, HTMLElement>();
  let renderQueued = false;
  let forceScroll = false;

  /** Quick replies belong to the latest message only: answering an older menu makes no sense. */
  function fillReplies(row: HTMLElement, m: ChatMessage, latest: boolean): void {
    row.querySelector('.sb-replies')?.remove();
    if (!latest || m.direction !== 'out' || !m.buttons?.length) return;
    const bar = h('div', { class: 'sb-replies', role: 'group', 'data-testid': 'sb-quick-replies' });
    for (const b of m.buttons) {
      const button = h(
        'button',
        { type: 'button', class: 'sb-reply', dir: 'auto', 'data-testid': 'sb-quick-reply' },
        [b.label],
      );
      button.addEventListener('click', () => {
        bar.remove();
        onQuickReply(b.value);
      });
      bar.append(button);
    }
    row.append(bar);
  }

  function fillRow(row: HTMLElement, m: ChatMessage): void {
    const { t } = lang;
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
      retry.addEventListener('click', () => onRetry(localId));
      meta.append(
        h('span', { class: 'sb-error', role: 'alert', 'data-testid': 'sb-error' }, [
          `${t('failed')}: ${errorText(m.error ?? {}, t)}`,
        ]),
        retry,
      );
    } else {
      const time = h('time', { datetime: m.createdAt }, [formatTime(m.createdAt, lang.locale)]);
      meta.append(time);
    }
    row.replaceChildren(who, bubble, meta);
  }

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
    const latestId = list[list.length - 1]?.id;
    for (const m of list) {
      let row = rows.get(m.id);
      if (!row) {
        row = h('div');
        rows.set(m.id, row);
      }
      const sig = `${rowSignature(m)}|${m.id === latestId ? 'latest' : ''}`;
      if (row.dataset.sig !== sig) {
        fillRow(row, m);
        fillReplies(row, m, m.id === latestId);
        row.dataset.sig = sig;
      }
      const expected: ChildNode | null = previous ? previous.nextSibling : log.firstChild;
      if (expected !== row) log.insertBefore(row, expected);
      previous = row;
    }
    if (nearBottom || forceScroll) body.scrollTop = body.scrollHeight;
    forceScroll = false;
    onRendered();
  }

  return {
    render,

    scheduleRender(scrollToEnd = false): void {
      forceScroll ||= scrollToEnd;
      if (renderQueued) return;
      renderQueued = true;
      // Batch a burst of replayed history into one DOM update.
      queueMicrotask(render);
    },

    /** Moves a pending row over to its server id so the bubble is reused, not rebuilt. */
    rekey(localId: string, serverId: string): void {
      const row = rows.get(localId);
      if (!row) return;
      rows.delete(localId);
      if (rows.has(serverId)) row.remove();
      else rows.set(serverId, row);
    },

    /** Times, labels and error texts inside rows are localised too: rebuild them all. */
    rebuild(): void {
      for (const el of rows.values()) el.remove();
      rows.clear();
      render();
    },
  };
}
