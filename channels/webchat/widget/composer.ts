// Where the visitor writes: the text box, the send button and the length counter.
import { h, icon, ICONS } from './dom';
import { intlTag, isRtl, type Lang } from './i18n';
import type { TypingEmitter } from './typing';
import { checkMessage, MAX_MESSAGE_LENGTH } from './util';

/** Show a character counter once the text gets close to the limit. */
const COUNTER_FROM = MAX_MESSAGE_LENGTH - 400;

/** `onSend` gets the checked text once the box has been emptied. */
export function createComposer(lang: Lang, typing: TypingEmitter, onSend: (text: string) => void) {
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
  const form = h('form', { class: 'sb-composer' }, [input, sendButton]);

  /**
   * `dir="auto"` lets Persian typed into the English UI (or the reverse) read naturally, but an
   * empty field would fall back to left-to-right and misalign the Persian placeholder.
   */
  function syncInputDir(): void {
    input.dir = input.value.trim() ? 'auto' : isRtl(lang.locale) ? 'rtl' : 'ltr';
  }

  function autosize(): void {
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight + 2, 140)}px`;
  }

  function updateCounter(): void {
    const length = [...input.value].length;
    counter.hidden = length < COUNTER_FROM;
    const nf = new Intl.NumberFormat(intlTag(lang.locale));
    counter.textContent = `${nf.format(length)} / ${nf.format(MAX_MESSAGE_LENGTH)}`;
    counter.classList.toggle('sb-over', length > MAX_MESSAGE_LENGTH);
    // Dimmed rather than `disabled`: clicking it with nothing to send is simply a no-op.
    sendButton.classList.toggle('sb-empty', !checkMessage(input.value).ok);
  }

  function send(): void {
    const check = checkMessage(input.value);
    if (!check.ok) {
      if (check.reason === 'too_long') updateCounter();
      return;
    }
    input.value = '';
    syncInputDir();
    autosize();
    updateCounter();
    typing.stop();
    onSend(check.text);
  }

  form.addEventListener('submit', (event) => {
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
    if (input.value.trim()) typing.input();
    else typing.stop();
  });

  return {
    form,
    counter,
    focus(options?: FocusOptions): void {
      input.focus(options);
    },
    localise(): void {
      const { t } = lang;
      input.placeholder = t('placeholder');
      syncInputDir();
      input.setAttribute('aria-label', t('inputLabel'));
      sendButton.setAttribute('aria-label', t('send'));
      sendButton.title = t('send');
      updateCounter();
    },
  };
}
