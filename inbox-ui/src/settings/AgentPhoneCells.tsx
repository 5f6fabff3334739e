import { useEffect, useState } from 'react';
import { api } from '../api/client';
import type { User } from '../api/types';
import { useI18n } from '../i18n/I18nContext';
import type { Run } from './parts';

/**
 * Two cells of an agent's row: the phone the phone menu forwards calls to, saved when the field
 * is left, and whether they are on duty (only agents on duty are rung).
 */
export function AgentPhoneCells({ user, run }: { user: User; run: Run }) {
  const { t } = useI18n();
  const [phone, setPhone] = useState(user.phone ?? '');
  useEffect(() => setPhone(user.phone ?? ''), [user.phone]);
  return (
    <>
      <td>
        <input
          type="tel"
          dir="ltr"
          aria-label={t('settings.phone')}
          placeholder="+15555550100"
          value={phone}
          onChange={(e) => setPhone(e.target.value)}
          onBlur={() => {
            if (phone.trim() !== (user.phone ?? ''))
              void run(
                () => api.updateUser(user.id, { phone: phone.trim() || null }),
                t('common.saved'),
              );
          }}
        />
      </td>
      <td>
        <input
          type="checkbox"
          aria-label={t('settings.onDuty')}
          title={t('settings.onDutyHint')}
          checked={user.onDuty === true}
          onChange={(e) =>
            void run(() => api.updateUser(user.id, { onDuty: e.target.checked }), t('common.saved'))
          }
        />
      </td>
    </>
  );
}
