import { useCallback, useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../api/client';
import { ladderApi } from '../api/ladder';
import { formatRoute } from '../lib/router';
import type { BotKbEntry, BotKbInput, BotTexts, BotTry, Locale } from '../api/types';
import { Field } from '../components/Field';
import { useI18n } from '../i18n/I18nContext';
import { LOCALES, LOCALE_NAMES } from '../i18n/core';
import { Card, DeleteButton, RowButton, RowsCard } from './parts';
import type { Run } from './parts';

/** The bot: its knowledge base, what it says in each language, and a trial conversation. */
export function BotSection({ run }: { run: Run }) {
  const [entries, setEntries] = useState<BotKbEntry[]>([]);
  const reload = useCallback(async () => setEntries((await api.botKb()).items), []);
  useEffect(() => void reload().catch(() => undefined), [reload]);
  const change: Run = async (action, success) => {
    const ok = await run(action, success);
    if (ok) await reload();
    return ok;
  };
  return (
    <>
      <TryBot />
      <KnowledgeBase entries={entries} run={change} />
      <BotCategories />
      <BotTextsCard run={run} />
    </>
  );
}

/** The complaint intake's first question offers these; they are edited in their own tab. */
function BotCategories() {
  const { t, locale } = useI18n();
  const [names, setNames] = useState<string[] | null>(null);
  useEffect(() => {
    ladderApi
      .categories(false)
      .then((p) => setNames(p.items.map((c) => c.names[locale] || c.names.en || c.key)))
      .catch(() => setNames([]));
  }, [locale]);
  return (
    <Card title={t('bot.categories')}>
      <p className="muted small">{t('bot.categoriesHint')}</p>
      {names && (
        <ul className="chips" data-testid="bot-categories">
          {names.map((n) => (
            <li key={n} className="chip">
              <bdi dir="auto">{n}</bdi>
            </li>
          ))}
        </ul>
      )}
      <a href={formatRoute({ screen: 'settings', tab: 'categories' })}>{t('bot.editCategories')}</a>
    </Card>
  );
}

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

function KnowledgeBase({ entries, run }: { entries: BotKbEntry[]; run: Run }) {
  const { t } = useI18n();
  const [editing, setEditing] = useState<string | null>(null);
  return (
    <>
      <Card title={t('bot.newEntry')}>
        <p className="muted small">{t('bot.kbHint')}</p>
        <KbForm
          initial={{ questions: {}, answers: {} }}
          submitLabel={t('common.create')}
          onSubmit={(value) => run(() => api.createBotKb(value), t('common.saved'))}
        />
      </Card>
      <RowsCard title={t('bot.kb')} count={entries.length}>
        {entries.map((entry) => (
          <li key={entry.id} className="rows__item" data-testid="bot-kb-entry">
            {editing === entry.id ? (
              <KbForm
                initial={entry}
                submitLabel={t('common.save')}
                onCancel={() => setEditing(null)}
                onSubmit={async (value) => {
                  const ok = await run(() => api.updateBotKb(entry.id, value), t('common.saved'));
                  if (ok) setEditing(null);
                  return ok;
                }}
              />
            ) : (
              <>
                <div className="rows__main">
                  {LOCALES.filter((l) => entry.questions[l]?.length).map((l) => (
                    <span key={l} className="rows__content">
                      <strong>{LOCALE_NAMES[l]}:</strong>{' '}
                      <bdi dir="auto">{entry.questions[l]![0]}</bdi> →{' '}
                      <bdi dir="auto">{entry.answers[l] ?? ''}</bdi>
                    </span>
                  ))}
                </div>
                <div className="rows__actions">
                  <RowButton onClick={() => setEditing(entry.id)}>{t('common.edit')}</RowButton>
                  <DeleteButton
                    name={
                      entry.questions.en?.[0] ??
                      entry.questions.fa?.[0] ??
                      entry.questions.ru?.[0] ??
                      ''
                    }
                    onDelete={() => void run(() => api.deleteBotKb(entry.id))}
                  />
                </div>
              </>
            )}
          </li>
        ))}
      </RowsCard>
    </>
  );
}

function KbForm({
  initial,
  onSubmit,
  onCancel,
  submitLabel,
}: {
  initial: BotKbInput;
  onSubmit: (value: BotKbInput) => Promise<boolean>;
  onCancel?: () => void;
  submitLabel: string;
}) {
  const { t } = useI18n();
  const [questions, setQuestions] = useState<Record<Locale, string>>({
    en: (initial.questions.en ?? []).join('\n'),
    fa: (initial.questions.fa ?? []).join('\n'),
    ru: (initial.questions.ru ?? []).join('\n'),
  });
  const [answers, setAnswers] = useState<Record<Locale, string>>({
    en: initial.answers.en ?? '',
    fa: initial.answers.fa ?? '',
    ru: initial.answers.ru ?? '',
  });
  async function submit(e: FormEvent) {
    e.preventDefault();
    const value: BotKbInput = { questions: {}, answers: {} };
    for (const l of LOCALES) {
      if (lines(questions[l]).length) value.questions[l] = lines(questions[l]);
      if (answers[l].trim()) value.answers[l] = answers[l].trim();
    }
    const ok = await onSubmit(value);
    if (ok && !onCancel) {
      setQuestions({ en: '', fa: '', ru: '' });
      setAnswers({ en: '', fa: '', ru: '' });
    }
  }
  return (
    <form className="form" onSubmit={(e) => void submit(e)} data-testid="bot-kb-form">
      {LOCALES.map((l) => (
        <div key={l} className="form__row" lang={l}>
          <Field label={t('bot.questions', { language: LOCALE_NAMES[l] })}>
            <textarea
              rows={2}
              dir={l === 'fa' ? 'rtl' : 'auto'}
              value={questions[l]}
              onChange={(e) => setQuestions({ ...questions, [l]: e.target.value })}
              data-testid={`bot-kb-questions-${l}`}
            />
          </Field>
          <Field label={t('bot.answer', { language: LOCALE_NAMES[l] })}>
            <textarea
              rows={2}
              dir={l === 'fa' ? 'rtl' : 'auto'}
              value={answers[l]}
              onChange={(e) => setAnswers({ ...answers, [l]: e.target.value })}
              data-testid={`bot-kb-answer-${l}`}
            />
          </Field>
        </div>
      ))}
      <div className="form__actions">
        {onCancel ? (
          <button type="button" className="button button--ghost" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        ) : null}
        <button type="submit" className="button button--primary">
          {submitLabel}
        </button>
      </div>
    </form>
  );
}

function LanguageTabs({ value, onValue }: { value: Locale; onValue: (l: Locale) => void }) {
  const { t } = useI18n();
  return (
    <div className="tabs" role="tablist" aria-label={t('bot.language')}>
      {LOCALES.map((l) => (
        <button
          key={l}
          type="button"
          role="tab"
          className="tabs__tab"
          aria-selected={value === l}
          onClick={() => onValue(l)}
        >
          {LOCALE_NAMES[l]}
        </button>
      ))}
    </div>
  );
}

function BotTextsCard({ run }: { run: Run }) {
  const { t } = useI18n();
  const [language, setLanguage] = useState<Locale>('en');
  const [texts, setTexts] = useState<BotTexts | null>(null);
  const [draft, setDraft] = useState<Record<string, string>>({});
  const load = useCallback(async (l: Locale) => {
    const loaded = await api.botTexts(l);
    setTexts(loaded);
    setDraft(
      Object.fromEntries(
        Object.keys(loaded.defaults).map((k) => [
          k,
          loaded.changed.includes(k) ? loaded.texts[k]! : '',
        ]),
      ),
    );
  }, []);
  useEffect(() => void load(language).catch(() => undefined), [language, load]);
  async function save(e: FormEvent) {
    e.preventDefault();
    const body = Object.fromEntries(
      Object.entries(draft).map(([k, v]) => [k, v.trim() ? v : null]),
    );
    await run(async () => {
      await api.saveBotTexts(language, body);
      await load(language);
    }, t('common.saved'));
  }
  return (
    <Card title={t('bot.texts')}>
      <p className="muted small">{t('bot.textsHint')}</p>
      <LanguageTabs value={language} onValue={setLanguage} />
      {texts ? (
        <form className="form" onSubmit={(e) => void save(e)} lang={language}>
          {Object.entries(texts.defaults).map(([key, fallback]) => (
            <Field
              key={key}
              label={`${key}${texts.changed.includes(key) ? ` (${t('bot.changed')})` : ''}`}
            >
              <textarea
                rows={2}
                dir={language === 'fa' ? 'rtl' : 'ltr'}
                placeholder={fallback}
                value={draft[key] ?? ''}
                onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}
                data-testid={`bot-text-${key}`}
              />
            </Field>
          ))}
          <div className="form__actions">
            <button type="submit" className="button button--primary">
              {t('common.save')}
            </button>
          </div>
        </form>
      ) : null}
    </Card>
  );
}

interface Line {
  from: 'customer' | 'bot' | 'note';
  text: string;
}

function TryBot() {
  const { t } = useI18n();
  const [language, setLanguage] = useState<Locale>('en');
  const [transcript, setTranscript] = useState<Line[]>([]);
  const [buttons, setButtons] = useState<{ label: string; value: string }[]>([]);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);

  async function send(value: string, reset = false) {
    if (!value.trim() || busy) return;
    setBusy(true);
    try {
      const result: BotTry = await api.tryBot({ text: value, language, reset });
      const said: Line[] = result.replies.map((r) => ({ from: 'bot', text: r.text }));
      if (result.handover)
        said.push({ from: 'note', text: t('bot.handedOver', { reason: result.handover.reason }) });
      setTranscript((before) => [
        ...(reset ? [] : before),
        { from: 'customer', text: value },
        ...said,
      ]);
      setButtons(result.replies.at(-1)?.buttons ?? []);
      setText('');
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title={t('bot.try')}>
      <p className="muted small">{t('bot.tryHint')}</p>
      <LanguageTabs
        value={language}
        onValue={(l) => {
          setLanguage(l);
          setTranscript([]);
          setButtons([]);
        }}
      />
      <ol className="bot-try" data-testid="bot-try-transcript">
        {transcript.map((line, i) => (
          <li key={i} className={`bot-try__line bot-try__line--${line.from}`}>
            {line.from === 'note' ? (
              <em>{line.text}</em>
            ) : (
              <>
                <strong>{line.from === 'customer' ? t('bot.you') : t('bot.bot')}:</strong>{' '}
                <bdi dir="auto" style={{ whiteSpace: 'pre-line' }}>
                  {line.text}
                </bdi>
              </>
            )}
          </li>
        ))}
      </ol>
      {buttons.length ? (
        <div className="bot-try__buttons">
          {buttons.map((b) => (
            <button
              key={b.value}
              type="button"
              className="button button--ghost button--small"
              dir="auto"
              onClick={() => void send(b.value)}
            >
              {b.label}
            </button>
          ))}
        </div>
      ) : null}
      <form
        className="form form--inline"
        onSubmit={(e) => {
          e.preventDefault();
          void send(text, transcript.length === 0);
        }}
      >
        <input
          value={text}
          dir="auto"
          placeholder={t('bot.tryPlaceholder')}
          aria-label={t('bot.tryPlaceholder')}
          onChange={(e) => setText(e.target.value)}
          data-testid="bot-try-input"
        />
        <button type="submit" className="button button--primary" disabled={busy}>
          {t('bot.send')}
        </button>
        <button
          type="button"
          className="button button--ghost"
          onClick={() => {
            setTranscript([]);
            setButtons([]);
          }}
        >
          {t('bot.restart')}
        </button>
      </form>
    </Card>
  );
}
