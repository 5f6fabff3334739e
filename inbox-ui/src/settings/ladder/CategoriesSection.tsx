import { useState } from 'react';
import { ladderApi } from '../../api/ladder';
import type { Category } from '../../api/ladder';
import { TextField } from '../../components/Field';
import { LOCALES, LOCALE_NAMES } from '../../i18n/core';
import { useAdminI18n } from './i18n';
import { Card, CreateCard, RowButton } from '../parts';
import type { Run } from '../parts';
import { useLoad } from './useLoad';

const load = () => ladderApi.categories(true).then((p) => p.items);
const noNames = (): Category['names'] => ({ en: '', fa: '', ru: '' });

/** Complaint categories with their English, Persian and Russian names. */
export default function CategoriesSection({ run }: { run: Run }) {
  const { t } = useAdminI18n();
  const { data: categories, reload } = useLoad(load, [] as Category[]);
  const [key, setKey] = useState('');
  const [names, setNames] = useState(noNames);

  async function create() {
    const ok = await run(
      () => ladderApi.createCategory({ key: key.trim(), names }),
      t('common.saved'),
    );
    if (ok) {
      setKey('');
      setNames(noNames());
      void reload();
    }
  }

  return (
    <>
      <CreateCard title={t('categories.new')} submitLabel={t('common.add')} onSubmit={create}>
        <TextField
          label={t('categories.key')}
          required
          dir="ltr"
          pattern="[a-z0-9_\-]+"
          value={key}
          onValue={setKey}
          data-testid="category-key"
        />
        {LOCALES.map((l) => (
          <TextField
            key={l}
            label={LOCALE_NAMES[l]}
            required
            lang={l}
            dir={l === 'fa' ? 'rtl' : 'ltr'}
            value={names[l]}
            onValue={(v) => setNames({ ...names, [l]: v })}
          />
        ))}
      </CreateCard>
      <Card title={t('settings.categories')}>
        <table className="table">
          <thead>
            <tr>
              <th>{t('categories.key')}</th>
              {LOCALES.map((l) => (
                <th key={l}>{LOCALE_NAMES[l]}</th>
              ))}
              <th />
            </tr>
          </thead>
          <tbody>
            {categories.map((c) => (
              <CategoryRow
                key={`${c.id}:${JSON.stringify(c.names)}`}
                category={c}
                run={run}
                onSaved={() => void reload()}
              />
            ))}
          </tbody>
        </table>
      </Card>
    </>
  );
}

function CategoryRow({
  category: c,
  run,
  onSaved,
}: {
  category: Category;
  run: Run;
  onSaved: () => void;
}) {
  const { t } = useAdminI18n();
  const [names, setNames] = useState(c.names);
  const changed = LOCALES.some((l) => names[l].trim() !== c.names[l]);
  return (
    <tr className={c.active ? undefined : 'is-inactive'} data-testid="category-row">
      <td dir="ltr">{c.key}</td>
      {LOCALES.map((l) => (
        <td key={l}>
          <input
            aria-label={`${c.key} · ${LOCALE_NAMES[l]}`}
            lang={l}
            dir={l === 'fa' ? 'rtl' : 'ltr'}
            value={names[l]}
            onChange={(e) => setNames({ ...names, [l]: e.target.value })}
          />
        </td>
      ))}
      <td>
        <span className="rows__actions">
          {changed ? (
            <RowButton
              onClick={() =>
                void run(() => ladderApi.updateCategory(c.id, { names }), t('common.saved')).then(
                  onSaved,
                )
              }
            >
              {t('common.save')}
            </RowButton>
          ) : null}
          <RowButton
            onClick={() =>
              void run(
                () => ladderApi.updateCategory(c.id, { active: !c.active }),
                t('common.saved'),
              ).then(onSaved)
            }
          >
            {c.active ? t('settings.disable') : t('settings.enable')}
          </RowButton>
        </span>
      </td>
    </tr>
  );
}
