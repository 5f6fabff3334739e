import { useState } from 'react';
import type { FormEvent } from 'react';
import { useI18n } from '../../i18n/I18nContext';
import { IconClose } from '../Icons';

/** The conversation's labels as removable chips, and a field to add one. */
export function LabelEditor({
  labels,
  available,
  onChange,
}: {
  labels: string[];
  available: string[];
  onChange: (labels: string[]) => void;
}) {
  const { t } = useI18n();
  const [draft, setDraft] = useState('');
  const listId = 'label-suggestions';

  function add(e: FormEvent) {
    e.preventDefault();
    const label = draft.trim();
    if (label && !labels.includes(label)) onChange([...labels, label]);
    setDraft('');
  }

  return (
    <form className="labels" onSubmit={add} aria-label={t('conv.labels')}>
      {labels.map((label) => (
        <span key={label} className="chip" dir="auto">
          {label}
          <button
            type="button"
            className="chip__remove"
            aria-label={t('conv.removeLabel', { label })}
            onClick={() => onChange(labels.filter((l) => l !== label))}
          >
            <IconClose size={12} />
          </button>
        </span>
      ))}
      <input
        className="labels__input"
        value={draft}
        list={listId}
        dir="auto"
        placeholder={`+ ${t('conv.addLabel')}`}
        aria-label={t('conv.addLabel')}
        onChange={(e) => setDraft(e.target.value)}
      />
      <datalist id={listId}>
        {available.map((l) => (
          <option key={l} value={l} />
        ))}
      </datalist>
    </form>
  );
}
