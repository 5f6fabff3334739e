import { useEffect, useId, useImperativeHandle, useMemo, useRef, useState } from 'react';
import type { ChangeEvent, KeyboardEvent, Ref } from 'react';
import { api } from '../api/client';
import type { Attachment, CannedResponse, Channel, Identity } from '../api/types';
import { useI18n } from '../i18n/I18nContext';
import { applyCanned, cannedTrigger, fillTemplate, matchCanned } from '../lib/canned';
import type { CannedTrigger, TemplateContext } from '../lib/canned';
import { formatBytes } from '../lib/format';
import { IconClose, IconLock, IconPaperclip, IconSend } from './Icons';
import { EmailComposerFields } from './email/EmailComposerFields';
import { emailReplyOf, emptyEmailDraft, type EmailReply } from '../lib/emailDraft';
import { SmsComposerInfo } from './SmsComposerInfo';

export type ComposerMode = 'reply' | 'note';

export interface ComposerHandle {
  focus: (mode?: ComposerMode) => void;
}

interface Props {
  ref?: Ref<ComposerHandle>;
  conversationId: string;
  channel: Channel;
  contactName: string;
  canned: CannedResponse[];
  templateContext: TemplateContext;
  onSend: (
    text: string,
    isPrivate: boolean,
    attachmentIds: string[],
    email?: EmailReply,
  ) => Promise<void>;
  /** E-mail conversations: the thread's subject, for the subject field's default. */
  subject?: string | null;
  onTyping: (typing: boolean, isPrivate: boolean) => void;
  /** The identity replies go to (SMS: warns when the customer opted out). */
  recipient?: Identity | null | undefined;
}

interface Upload {
  key: string;
  name: string;
  size: number;
  attachment: Attachment | null;
  error: string | null;
}

const drafts = new Map<string, { text: string; mode: ComposerMode }>();

/**
 * Reply / private-note composer. Enter sends, Shift+Enter breaks the line, `/` opens canned
 * responses (filled with the contact's details), files upload as soon as they are picked.
 */
export function Composer({
  ref,
  conversationId,
  channel,
  contactName,
  canned,
  templateContext,
  onSend,
  onTyping,
  subject = null,
  recipient,
}: Props) {
  const { t, locale } = useI18n();
  const draft = drafts.get(conversationId);
  const [text, setText] = useState(draft?.text ?? '');
  const [mode, setMode] = useState<ComposerMode>(draft?.mode ?? 'reply');
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [emailDraft, setEmailDraft] = useState(emptyEmailDraft);
  const isEmailReply = channel === 'email' && mode === 'reply';
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [trigger, setTrigger] = useState<CannedTrigger | null>(null);
  const [pickerIndex, setPickerIndex] = useState(0);
  const input = useRef<HTMLTextAreaElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const typingTimer = useRef<number | undefined>(undefined);
  const typing = useRef(false);
  const pickerId = useId();

  useImperativeHandle(ref, () => ({
    focus: (next) => {
      if (next) setMode(next);
      input.current?.focus();
    },
  }));

  // Keep an unsent draft per conversation while the agent looks elsewhere.
  useEffect(() => {
    drafts.set(conversationId, { text, mode });
  }, [conversationId, text, mode]);

  useEffect(
    () => () => {
      window.clearTimeout(typingTimer.current);
      if (typing.current) onTyping(false, false);
    },
    // Stop "typing" once, when the composer goes away; the handler of that moment is enough.
    [],
  );

  const matches = useMemo(
    () => (trigger ? matchCanned(canned, trigger.query) : []),
    [trigger, canned],
  );
  const pickerOpen = trigger !== null;

  function signalTyping(isPrivate: boolean) {
    if (!typing.current) {
      typing.current = true;
      onTyping(true, isPrivate);
    }
    window.clearTimeout(typingTimer.current);
    typingTimer.current = window.setTimeout(() => {
      typing.current = false;
      onTyping(false, isPrivate);
    }, 2500);
  }

  function updateTrigger(value: string, caret: number) {
    const next = cannedTrigger(value, caret);
    setTrigger(next);
    if (next?.query !== trigger?.query) setPickerIndex(0);
  }

  function onChange(e: ChangeEvent<HTMLTextAreaElement>) {
    setText(e.target.value);
    setError(null);
    updateTrigger(e.target.value, e.target.selectionStart);
    if (e.target.value) signalTyping(mode === 'note');
  }

  function pick(item: CannedResponse) {
    const el = input.current;
    if (!trigger || !el) return;
    const filled = fillTemplate(item.content, templateContext);
    const next = applyCanned(text, trigger, el.selectionStart, filled);
    setText(next.text);
    setTrigger(null);
    requestAnimationFrame(() => {
      el.focus();
      el.setSelectionRange(next.caret, next.caret);
    });
  }

  async function send() {
    const body = text.trim();
    const ready = uploads.flatMap((u) => (u.attachment ? [u.attachment.id] : []));
    if ((!body && !ready.length) || sending || uploads.some((u) => !u.attachment && !u.error))
      return;
    setSending(true);
    setError(null);
    try {
      await onSend(
        body,
        mode === 'note',
        ready,
        isEmailReply ? emailReplyOf(emailDraft) : undefined,
      );
      setText('');
      setEmailDraft(emptyEmailDraft);
      setUploads([]);
      drafts.delete(conversationId);
      window.clearTimeout(typingTimer.current);
      if (typing.current) {
        typing.current = false;
        onTyping(false, mode === 'note');
      }
    } catch (err) {
      setError(
        t('composer.sendFailed', { message: err instanceof Error ? err.message : String(err) }),
      );
    } finally {
      setSending(false);
      input.current?.focus();
    }
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (pickerOpen) {
      if (e.key === 'ArrowDown' && matches.length) {
        e.preventDefault();
        setPickerIndex((i) => (i + 1) % matches.length);
        return;
      }
      if (e.key === 'ArrowUp' && matches.length) {
        e.preventDefault();
        setPickerIndex((i) => (i - 1 + matches.length) % matches.length);
        return;
      }
      if ((e.key === 'Enter' || e.key === 'Tab') && !e.shiftKey && matches.length) {
        e.preventDefault();
        const item = matches[pickerIndex] ?? matches[0];
        if (item) pick(item);
        return;
      }
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        setTrigger(null);
        return;
      }
    }
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void send();
    }
  }

  async function onFiles(e: ChangeEvent<HTMLInputElement>) {
    const files = Array.from(e.target.files ?? []);
    e.target.value = '';
    for (const file of files) {
      const key = `${file.name}-${file.size}-${Math.random().toString(36).slice(2)}`;
      setUploads((u) => [
        ...u,
        { key, name: file.name, size: file.size, attachment: null, error: null },
      ]);
      try {
        const attachment = await api.upload(file);
        setUploads((u) => u.map((x) => (x.key === key ? { ...x, attachment } : x)));
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        setUploads((u) => u.map((x) => (x.key === key ? { ...x, error: message } : x)));
      }
    }
  }

  const isNote = mode === 'note';
  const activeOption =
    pickerOpen && matches[pickerIndex] ? `${pickerId}-${matches[pickerIndex]?.id}` : undefined;

  return (
    <div className={isNote ? 'composer composer--note' : 'composer'}>
      <div className="composer__modes" role="group" aria-label={t('composer.mode')}>
        <button
          type="button"
          className="composer__mode"
          aria-pressed={!isNote}
          data-testid="composer-mode-reply"
          onClick={() => {
            setMode('reply');
            input.current?.focus();
          }}
        >
          {t('composer.reply')}
        </button>
        <button
          type="button"
          className="composer__mode composer__mode--note"
          aria-pressed={isNote}
          data-testid="composer-mode-note"
          onClick={() => {
            setMode('note');
            input.current?.focus();
          }}
        >
          <IconLock size={13} /> {t('composer.note')}
        </button>
        <span className="composer__hint">
          {isNote
            ? t('composer.noteHint')
            : t('composer.replyHint', { channel: t(`channel.${channel}`) })}
        </span>
      </div>

      {pickerOpen ? (
        <div className="canned-picker">
          <div className="canned-picker__title">{t('composer.canned')}</div>
          {matches.length ? (
            <ul role="listbox" id={pickerId} aria-label={t('composer.canned')}>
              {matches.map((item, i) => (
                <li
                  key={item.id}
                  id={`${pickerId}-${item.id}`}
                  role="option"
                  aria-selected={i === pickerIndex}
                  className={
                    i === pickerIndex ? 'canned-picker__item is-active' : 'canned-picker__item'
                  }
                  onMouseDown={(e) => {
                    e.preventDefault();
                    pick(item);
                  }}
                >
                  <span className="canned-picker__code">/{item.shortCode}</span>
                  <span className="canned-picker__content" dir="auto">
                    {fillTemplate(item.content, templateContext)}
                  </span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="canned-picker__empty">
              {t('composer.cannedEmpty', { q: trigger?.query ?? '' })}
            </p>
          )}
        </div>
      ) : null}

      {isEmailReply ? (
        <EmailComposerFields
          value={emailDraft}
          onChange={setEmailDraft}
          defaultTo={contactName}
          defaultSubject={subject}
        />
      ) : null}

      <textarea
        ref={input}
        className="composer__input"
        data-testid="composer-input"
        dir="auto"
        rows={3}
        value={text}
        placeholder={
          isNote
            ? t('composer.placeholderNote')
            : t('composer.placeholderReply', { name: contactName })
        }
        aria-label={isNote ? t('composer.note') : t('composer.reply')}
        aria-autocomplete="list"
        aria-controls={pickerOpen ? pickerId : undefined}
        aria-expanded={pickerOpen}
        aria-activedescendant={activeOption}
        onChange={onChange}
        onKeyDown={onKeyDown}
        onKeyUp={(e) => {
          if (
            e.key === 'ArrowLeft' ||
            e.key === 'ArrowRight' ||
            e.key === 'Home' ||
            e.key === 'End'
          ) {
            updateTrigger(e.currentTarget.value, e.currentTarget.selectionStart);
          }
        }}
        onBlur={() => setTrigger(null)}
      />

      {uploads.length ? (
        <ul className="composer__uploads">
          {uploads.map((u) => (
            <li key={u.key} className={u.error ? 'upload upload--error' : 'upload'}>
              <IconPaperclip size={14} />
              <span dir="auto">{u.name}</span>
              <span className="muted">
                {u.error ?? (u.attachment ? formatBytes(u.size, locale) : t('composer.uploading'))}
              </span>
              <button
                type="button"
                className="icon-button icon-button--small"
                aria-label={t('composer.remove', { name: u.name })}
                onClick={() => setUploads((list) => list.filter((x) => x.key !== u.key))}
              >
                <IconClose size={14} />
              </button>
            </li>
          ))}
        </ul>
      ) : null}

      <SmsComposerInfo channel={channel} text={text} isNote={isNote} recipient={recipient} />

      {error ? (
        <p className="composer__error" role="alert">
          {error}
        </p>
      ) : null}

      <div className="composer__actions">
        <button
          type="button"
          className="icon-button"
          aria-label={t('composer.attach')}
          title={t('composer.attach')}
          onClick={() => fileInput.current?.click()}
        >
          <IconPaperclip />
        </button>
        <input ref={fileInput} type="file" multiple hidden onChange={(e) => void onFiles(e)} />
        <button
          type="button"
          className={isNote ? 'button button--note' : 'button button--primary'}
          data-testid="composer-send"
          disabled={sending || (!text.trim() && !uploads.some((u) => u.attachment))}
          onClick={() => void send()}
        >
          {isNote ? <IconLock size={16} /> : <IconSend size={16} />}
          {isNote ? t('composer.addNote') : t('composer.send')}
        </button>
      </div>
    </div>
  );
}
