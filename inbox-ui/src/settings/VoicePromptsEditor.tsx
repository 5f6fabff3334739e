import { useState } from 'react';
import { api } from '../api/client';
import type { Inbox } from '../api/types';
import {
  CALL_LANGUAGES,
  DEFAULT_PROMPTS,
  PROMPT_KEYS,
  VOICES,
  readPromptSettings,
  type CallLanguage,
  type PromptKey,
  type PromptSettings,
} from '../../../channels/voice/prompts';
import { useI18n } from '../i18n/I18nContext';
import type { Run } from './parts';
import { withSettings } from './TwilioInboxDetails';

const LANGUAGE_LABELS: Readonly<Record<CallLanguage, string>> = {
  en: 'English',
  ru: 'Русский',
  fa: 'فارسی',
};

/**
 * The phone menu's prompts per language: each a text (said by Twilio's voice for the language)
 * or an uploaded recording (played instead). Persian has no Twilio voice, so Persian prompts
 * need recordings; the editor says so. Empty texts use the defaults shown as placeholders.
 */
export function VoicePromptsEditor({ inbox, run }: { inbox: Inbox; run: Run }) {
  const { t } = useI18n();
  const [language, setLanguage] = useState<CallLanguage>('en');
  const [prompts, setPrompts] = useState<PromptSettings>(() =>
    readPromptSettings(inbox.settings?.['prompts']),
  );
  const [uploading, setUploading] = useState<PromptKey | null>(null);
  const entry = prompts[language] ?? {};

  function change(key: PromptKey, value: { text?: string; recording?: string | null }) {
    setPrompts((all) => {
      const current = { ...all[language] };
      if (value.text !== undefined) current[key] = value.text;
      if (value.recording !== undefined) {
        const recordings = { ...current.recordings };
        if (value.recording) recordings[key] = value.recording;
        else delete recordings[key];
        current.recordings = recordings;
      }
      return { ...all, [language]: current };
    });
  }

  async function upload(key: PromptKey, file: File | undefined) {
    if (!file) return;
    setUploading(key);
    try {
      change(key, { recording: (await api.upload(file)).id });
    } finally {
      setUploading(null);
    }
  }

  return (
    <section className="prompts-editor" aria-label={t('twilio.prompts')}>
      <strong>{t('twilio.prompts')}</strong>
      <div className="tabs" role="tablist" aria-label={t('prompts.language')}>
        {CALL_LANGUAGES.map((l) => (
          <button
            key={l}
            type="button"
            role="tab"
            className="tabs__tab"
            aria-selected={language === l}
            onClick={() => setLanguage(l)}
          >
            {LANGUAGE_LABELS[l]}
          </button>
        ))}
      </div>
      {VOICES[language] ? null : (
        <p className="notice" role="note">
          {t('prompts.noVoice')}
        </p>
      )}
      {PROMPT_KEYS.map((key) => {
        const recording = entry.recordings?.[key];
        return (
          <div key={key} className="field field--grow">
            <span>{t(`prompts.key.${key}`)}</span>
            <textarea
              dir={language === 'fa' ? 'rtl' : 'auto'}
              lang={language}
              rows={2}
              value={entry[key] ?? ''}
              placeholder={t('prompts.placeholder', { text: DEFAULT_PROMPTS[language][key] })}
              onChange={(e) => change(key, { text: e.target.value })}
            />
            {key !== 'missedCallSms' && key !== 'closed' ? (
              <span className="muted">
                {recording ? (
                  <>
                    {t('prompts.hasRecording')}{' '}
                    <button
                      type="button"
                      className="link-button"
                      onClick={() => change(key, { recording: null })}
                    >
                      {t('prompts.removeRecording')}
                    </button>
                  </>
                ) : (
                  <label>
                    {t('prompts.upload')}{' '}
                    <input
                      type="file"
                      accept="audio/*"
                      disabled={uploading !== null}
                      onChange={(e) => void upload(key, e.target.files?.[0])}
                    />
                  </label>
                )}
              </span>
            ) : null}
          </div>
        );
      })}
      <div className="form__actions">
        <button
          type="button"
          className="button button--primary"
          onClick={() =>
            void run(
              () => api.updateInbox(inbox.id, { settings: withSettings(inbox, { prompts }) }),
              t('common.saved'),
            )
          }
        >
          {t('common.save')}
        </button>
      </div>
    </section>
  );
}
