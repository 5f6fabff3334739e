import { useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../api/client';
import type { CannedResponse } from '../api/types';
import { Field, TextField } from '../components/Field';
import { useI18n } from '../i18n/I18nContext';
import { TEMPLATE_VARIABLES } from '../lib/canned';
import { Card, DeleteButton, RowButton, RowsCard } from './parts';
import type { Run } from './parts';

interface CannedValue {
  shortCode: string;
  content: string;
}

/** Create, edit and delete canned responses (the `/` shortcuts of the composer). */
export function CannedSection({ canned, run }: { canned: CannedResponse[]; run: Run }) {
  const { t } = useI18n();
  const [editing, setEditing] = useState<string | null>(null);
  return (
    <>
      <Card title={t('settings.newCanned')}>
        <CannedForm
          initial={{ shortCode: '', content: '' }}
          submitLabel={t('common.create')}
          onSubmit={(value) => run(() => api.createCanned(value), t('common.saved'))}
        />
      </Card>
      <RowsCard title={t('settings.canned')} count={canned.length}>
        {canned.map((item) => (
          <li key={item.id} className="rows__item">
            {editing === item.id ? (
              <CannedForm
                initial={item}
                submitLabel={t('common.save')}
                onCancel={() => setEditing(null)}
                onSubmit={async (value) => {
                  const ok = await run(() => api.updateCanned(item.id, value), t('common.saved'));
                  if (ok) setEditing(null);
                  return ok;
                }}
              />
            ) : (
              <>
                <div className="rows__main">
                  <code>/{item.shortCode}</code>
                  <span className="rows__content" dir="auto">
                    {item.content}
                  </span>
                </div>
                <div className="rows__actions">
                  <RowButton onClick={() => setEditing(item.id)}>{t('common.edit')}</RowButton>
                  <DeleteButton
                    name={`/${item.shortCode}`}
                    onDelete={() => void run(() => api.deleteCanned(item.id))}
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

/** A new canned response (cleared after it is saved), or an existing one being edited. */
function CannedForm({
  initial,
  onSubmit,
  onCancel,
  submitLabel,
}: {
  initial: CannedValue;
  onSubmit: (value: CannedValue) => Promise<boolean>;
  onCancel?: () => void;
  submitLabel: string;
}) {
  const { t } = useI18n();
  const [shortCode, setShortCode] = useState(initial.shortCode);
  const [content, setContent] = useState(initial.content);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const ok = await onSubmit({ shortCode: shortCode.trim().replace(/^\//, ''), content });
    if (ok && !onCancel) {
      setShortCode('');
      setContent('');
    }
  }

  return (
    <form className="form" onSubmit={(e) => void submit(e)}>
      <TextField
        label={t('settings.shortCode')}
        required
        pattern="[^\s\/]+"
        value={shortCode}
        onValue={setShortCode}
        dir="auto"
      />
      <Field label={t('settings.content')}>
        <textarea
          required
          rows={3}
          value={content}
          onChange={(e) => setContent(e.target.value)}
          dir="auto"
        />
      </Field>
      <p className="muted small">
        {t('settings.variables')}{' '}
        {TEMPLATE_VARIABLES.map((v) => (
          <code key={v} dir="ltr">
            {v}
          </code>
        ))}
      </p>
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
