import type { ReactNode } from 'react';
import { useI18n } from '../i18n/I18nContext';

/**
 * Runs a settings change: clears the last notice, shows `success` (if given) or the error, and
 * reloads the lists. Resolves to whether the change went through.
 */
export type Run = (action: () => Promise<unknown>, success?: string) => Promise<boolean>;

export function Card({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="card">
      <h2>{title}</h2>
      {children}
    </section>
  );
}

/** A card with a one-line form that creates something: its fields, then the submit button. */
export function CreateCard({
  title,
  submitLabel,
  onSubmit,
  children,
}: {
  title: string;
  submitLabel: string;
  onSubmit: () => Promise<void>;
  children: ReactNode;
}) {
  return (
    <Card title={title}>
      <form
        className="form form--inline"
        onSubmit={(e) => {
          e.preventDefault();
          void onSubmit();
        }}
      >
        {children}
        <button type="submit" className="button button--primary">
          {submitLabel}
        </button>
      </form>
    </Card>
  );
}

/** A card listing what exists, one `rows__item` per entry, or a word that there is nothing yet. */
export function RowsCard({
  title,
  count,
  children,
}: {
  title: string;
  count: number;
  children: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <Card title={title}>
      {count === 0 ? <p className="muted">{t('settings.empty')}</p> : null}
      <ul className="rows">{children}</ul>
    </Card>
  );
}

/** A small quiet button in a row's actions. */
export function RowButton({ onClick, children }: { onClick: () => void; children: ReactNode }) {
  return (
    <button type="button" className="button button--ghost button--small" onClick={onClick}>
      {children}
    </button>
  );
}

/** Deletes after the admin confirms, naming what goes. */
export function DeleteButton({ name, onDelete }: { name: string; onDelete: () => void }) {
  const { t } = useI18n();
  return (
    <button
      type="button"
      className="button button--ghost button--small button--danger-text"
      onClick={() => {
        if (window.confirm(t('common.confirmDelete', { name }))) onDelete();
      }}
    >
      {t('common.delete')}
    </button>
  );
}
