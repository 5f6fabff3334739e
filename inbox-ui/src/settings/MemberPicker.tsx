import type { User } from '../api/types';
import { useI18n } from '../i18n/I18nContext';

/** Check boxes for the active agents; used for team and inbox members. */
export function MemberPicker({
  users,
  value,
  onChange,
}: {
  users: User[];
  value: string[];
  onChange: (ids: string[]) => void;
}) {
  const { t } = useI18n();
  return (
    <fieldset className="members">
      <legend>{t('settings.members')}</legend>
      {users
        .filter((u) => u.active)
        .map((u) => (
          <label key={u.id} className="check">
            <input
              type="checkbox"
              checked={value.includes(u.id)}
              onChange={(e) =>
                onChange(e.target.checked ? [...value, u.id] : value.filter((x) => x !== u.id))
              }
            />
            <span dir="auto">{u.name}</span>
          </label>
        ))}
    </fieldset>
  );
}
