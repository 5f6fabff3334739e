import { api } from '../../api/client';
import { ladderApi } from '../../api/ladder';
import type { BusinessHours } from '../../api/ladder';
import type { Inbox, User } from '../../api/types';
import { useAdminI18n } from './i18n';
import { Card } from '../parts';
import type { Run } from '../parts';
import { useLoad } from './useLoad';

const load = () =>
  Promise.all([api.inboxes(), api.users(), ladderApi.businessHours()]).then(([i, u, h]) => ({
    inboxes: i.items,
    users: u.items,
    calendars: h.items,
  }));
const EMPTY = { inboxes: [] as Inbox[], users: [] as User[], calendars: [] as BusinessHours[] };

/** Routing per inbox (manual or round robin, when to hand back, business hours), capacity. */
export default function RoutingSection({ run }: { run: Run }) {
  const { t } = useAdminI18n();
  const { data, reload } = useLoad(load, EMPTY);
  const save = (action: () => Promise<unknown>) =>
    void run(action, t('common.saved')).then(() => reload());

  return (
    <>
      <Card title={t('routing.inboxes')}>
        <p className="muted">{t('routing.hint')}</p>
        <table className="table" data-testid="routing-inboxes">
          <thead>
            <tr>
              <th>{t('settings.inboxes')}</th>
              <th>{t('routing.mode')}</th>
              <th title={t('routing.offlineHint')}>{t('routing.offlineReturn')}</th>
              <th>{t('hours.calendar')}</th>
            </tr>
          </thead>
          <tbody>
            {data.inboxes.map((inbox) => (
              <tr key={`${inbox.id}:${inbox.routing}:${inbox.offlineReturnMinutes}`}>
                <td dir="auto">{inbox.name}</td>
                <td>
                  <select
                    aria-label={`${inbox.name} · ${t('routing.mode')}`}
                    value={inbox.routing ?? 'manual'}
                    onChange={(e) =>
                      save(() =>
                        api.updateInbox(inbox.id, {
                          routing: e.target.value === 'round_robin' ? 'round_robin' : 'manual',
                        }),
                      )
                    }
                  >
                    <option value="manual">{t('routing.manual')}</option>
                    <option value="round_robin">{t('routing.roundRobin')}</option>
                  </select>
                </td>
                <td>
                  <input
                    type="number"
                    min={0}
                    max={10080}
                    dir="ltr"
                    aria-label={`${inbox.name} · ${t('routing.offlineReturn')}`}
                    defaultValue={inbox.offlineReturnMinutes ?? 0}
                    onBlur={(e) => {
                      const n = Number(e.target.value);
                      if (Number.isInteger(n) && n !== inbox.offlineReturnMinutes)
                        save(() => api.updateInbox(inbox.id, { offlineReturnMinutes: n }));
                    }}
                  />
                </td>
                <td>
                  <select
                    aria-label={`${inbox.name} · ${t('hours.calendar')}`}
                    value={inbox.businessHoursId ?? ''}
                    onChange={(e) =>
                      save(() =>
                        api.updateInbox(inbox.id, { businessHoursId: e.target.value || null }),
                      )
                    }
                  >
                    <option value="">{t('sla.allHours')}</option>
                    {data.calendars.map((c) => (
                      <option key={c.id} value={c.id}>
                        {c.name}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      <Card title={t('routing.capacity')}>
        <table className="table" data-testid="routing-agents">
          <thead>
            <tr>
              <th>{t('settings.name')}</th>
              <th>{t('routing.presence')}</th>
              <th title={t('routing.capacityHint')}>{t('routing.capacity')}</th>
            </tr>
          </thead>
          <tbody>
            {data.users
              .filter((u) => u.active)
              .map((u) => (
                <tr key={`${u.id}:${u.capacity}`}>
                  <td dir="auto">{u.name}</td>
                  <td>
                    <span className={u.online ? 'badge badge--ok' : 'badge'}>
                      {u.online ? t('routing.online') : t('routing.offline')}
                    </span>{' '}
                    <span className="muted">
                      {u.available ? t('presence.available') : t('presence.away')}
                    </span>
                  </td>
                  <td>
                    <input
                      type="number"
                      min={0}
                      max={1000}
                      dir="ltr"
                      aria-label={`${u.name} · ${t('routing.capacity')}`}
                      defaultValue={u.capacity}
                      onBlur={(e) => {
                        const n = Number(e.target.value);
                        if (Number.isInteger(n) && n !== u.capacity)
                          save(() => api.updateUser(u.id, { capacity: n }));
                      }}
                    />
                  </td>
                </tr>
              ))}
          </tbody>
        </table>
      </Card>
    </>
  );
}
