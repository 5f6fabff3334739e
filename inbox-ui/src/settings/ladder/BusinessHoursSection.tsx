import { useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import { ladderApi } from '../../api/ladder';
import type { BusinessHours, WeeklyRange } from '../../api/ladder';
import { Field, TextField } from '../../components/Field';
import { INTL_TAG } from '../../i18n/core';
import { useAdminI18n } from './i18n';
import {
  isoToPersian,
  mergeHolidays,
  nowruzHolidays,
  parsePersianDate,
  persianToIso,
  persianYearOf,
} from '../../lib/persianDate';
import { Card, DeleteButton, RowButton, RowsCard } from '../parts';
import type { Run } from '../parts';
import { errorText, useLoad } from './useLoad';
import { WEEK_PRESETS, dayName, fromWeek, toWeek, weekOrder } from './weekly';
import type { Week, WeekPreset } from './weekly';

const load = () => ladderApi.businessHours().then((p) => p.items);

function zones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['UTC', 'Asia/Tehran', 'Europe/Moscow', 'Europe/Berlin', 'America/New_York'];
  }
}

interface Draft {
  id: string | null;
  name: string;
  timeZone: string;
  week: Week;
  holidays: string[];
}

const blank = (): Draft => ({
  id: null,
  name: '',
  timeZone: 'Asia/Tehran',
  week: toWeek(WEEK_PRESETS.iran),
  holidays: [],
});

/** Business hours: time zone, open ranges per day, weekend days, holidays, and a due tester. */
export default function BusinessHoursSection({ run }: { run: Run }) {
  const { t } = useAdminI18n();
  const { data: calendars, reload } = useLoad(load, [] as BusinessHours[]);
  const [draft, setDraft] = useState<Draft | null>(null);

  return (
    <>
      <RowsCard title={t('hours.title')} count={calendars.length}>
        {calendars.map((c) => (
          <li key={c.id} className="rows__item" data-testid="hours-row">
            <div className="rows__main">
              <strong dir="auto">{c.name}</strong>
              <span className="muted" dir="ltr">
                {c.timeZone}
              </span>
              <span className="muted">
                {t('hours.summary', { ranges: c.weekly.length, holidays: c.holidays.length })}
              </span>
            </div>
            <div className="rows__actions">
              <RowButton
                onClick={() =>
                  setDraft({
                    id: c.id,
                    name: c.name,
                    timeZone: c.timeZone,
                    week: toWeek(c.weekly),
                    holidays: [...c.holidays],
                  })
                }
              >
                {t('common.edit')}
              </RowButton>
              <DeleteButton
                name={c.name}
                onDelete={() =>
                  void run(() => ladderApi.deleteBusinessHours(c.id), t('common.saved')).then(() =>
                    reload(),
                  )
                }
              />
            </div>
          </li>
        ))}
      </RowsCard>
      {draft ? (
        <CalendarEditor
          key={draft.id ?? 'new'}
          draft={draft}
          onCancel={() => setDraft(null)}
          onSaved={() => {
            setDraft(null);
            void reload();
          }}
          run={run}
        />
      ) : (
        <p>
          <button
            type="button"
            className="button button--primary"
            data-testid="hours-new"
            onClick={() => setDraft(blank())}
          >
            {t('hours.new')}
          </button>
        </p>
      )}
      {calendars.length ? <DueTester calendars={calendars} /> : null}
    </>
  );
}

function CalendarEditor({
  draft: initial,
  onCancel,
  onSaved,
  run,
}: {
  draft: Draft;
  onCancel: () => void;
  onSaved: () => void;
  run: Run;
}) {
  const { t, locale } = useAdminI18n();
  const [d, setD] = useState(initial);
  const [persian, setPersian] = useState('');
  const [gregorian, setGregorian] = useState('');
  const [holidayError, setHolidayError] = useState<string | null>(null);
  const zoneList = useMemo(zones, []);
  const nowruzYear = useMemo(() => {
    const today = new Date();
    const year = persianYearOf(today);
    const last = nowruzHolidays(year).at(-1) ?? '';
    return today.toISOString().slice(0, 10) > last ? year + 1 : year;
  }, []);

  const setDay = (day: number, ranges: WeeklyRange[]) =>
    setD({ ...d, week: d.week.map((r, i) => (i === day ? ranges : r)) });

  function addPersian() {
    const day = parsePersianDate(persian);
    if (!day) {
      setHolidayError(t('hours.badPersianDate'));
      return;
    }
    setHolidayError(null);
    setD({ ...d, holidays: mergeHolidays(d.holidays, [persianToIso(day)]) });
    setPersian('');
  }

  async function save(e: FormEvent) {
    e.preventDefault();
    const body = {
      name: d.name.trim(),
      timeZone: d.timeZone,
      weekly: fromWeek(d.week),
      holidays: d.holidays,
    };
    const ok = await run(
      () => (d.id ? ladderApi.saveBusinessHours(d.id, body) : ladderApi.createBusinessHours(body)),
      t('common.saved'),
    );
    if (ok) onSaved();
  }

  const gregorianFormat = new Intl.DateTimeFormat(INTL_TAG[locale === 'fa' ? 'en' : locale], {
    dateStyle: 'medium',
    timeZone: 'UTC',
  });

  return (
    <Card title={d.id ? d.name : t('hours.new')}>
      <form className="form" data-testid="hours-editor" onSubmit={(e) => void save(e)}>
        <div className="form__row">
          <TextField
            label={t('settings.name')}
            required
            dir="auto"
            value={d.name}
            onValue={(name) => setD({ ...d, name })}
            data-testid="hours-name"
          />
          <Field label={t('hours.timeZone')}>
            <input
              list="hours-zones"
              dir="ltr"
              required
              value={d.timeZone}
              onChange={(e) => setD({ ...d, timeZone: e.target.value })}
            />
            <datalist id="hours-zones">
              {zoneList.map((z) => (
                <option key={z} value={z} />
              ))}
            </datalist>
          </Field>
        </div>

        <div className="hours__presets" role="group" aria-label={t('hours.presets')}>
          <span className="muted">{t('hours.presets')}</span>
          {(Object.keys(WEEK_PRESETS) as WeekPreset[]).map((p) => (
            <button
              key={p}
              type="button"
              className="button button--ghost button--small"
              onClick={() => setD({ ...d, week: toWeek(WEEK_PRESETS[p]) })}
            >
              {t(`hours.preset.${p}`)}
            </button>
          ))}
        </div>

        <table className="table hours__week">
          <thead>
            <tr>
              <th>{t('hours.day')}</th>
              <th>{t('hours.weekend')}</th>
              <th>{t('hours.ranges')}</th>
            </tr>
          </thead>
          <tbody>
            {weekOrder(locale).map((day) => {
              const ranges = d.week[day] ?? [];
              return (
                <tr key={day} data-testid={`hours-day-${day}`}>
                  <th scope="row">{dayName(day, locale)}</th>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={t('hours.closedOn', { day: dayName(day, locale) })}
                      checked={ranges.length === 0}
                      onChange={(e) =>
                        setDay(
                          day,
                          e.target.checked ? [] : [{ day, open: '09:00', close: '17:00' }],
                        )
                      }
                    />
                  </td>
                  <td>
                    <div className="hours__ranges">
                      {ranges.map((r, i) => (
                        <span key={i} className="hours__range" dir="ltr">
                          <input
                            type="time"
                            aria-label={t('hours.open')}
                            value={r.open}
                            onChange={(e) =>
                              setDay(
                                day,
                                ranges.map((x, j) =>
                                  j === i ? { ...x, open: e.target.value } : x,
                                ),
                              )
                            }
                          />
                          –
                          <input
                            type="time"
                            aria-label={t('hours.close')}
                            value={r.close === '24:00' ? '23:59' : r.close}
                            onChange={(e) =>
                              setDay(
                                day,
                                ranges.map((x, j) =>
                                  j === i ? { ...x, close: e.target.value } : x,
                                ),
                              )
                            }
                          />
                          <button
                            type="button"
                            className="icon-button"
                            aria-label={t('hours.removeRange')}
                            onClick={() =>
                              setDay(
                                day,
                                ranges.filter((_, j) => j !== i),
                              )
                            }
                          >
                            ×
                          </button>
                        </span>
                      ))}
                      <button
                        type="button"
                        className="link-button"
                        onClick={() => {
                          const last = ranges.at(-1);
                          setDay(day, [
                            ...ranges,
                            last
                              ? {
                                  day,
                                  open: last.close,
                                  close: last.close < '20:00' ? '20:00' : '24:00',
                                }
                              : { day, open: '09:00', close: '17:00' },
                          ]);
                        }}
                      >
                        {t('hours.addRange')}
                      </button>
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>

        <fieldset className="hours__holidays">
          <legend>{t('hours.holidays')}</legend>
          <div className="form__row">
            <TextField
              label={t('hours.persianDate')}
              placeholder="1405/01/01"
              dir="ltr"
              value={persian}
              onValue={setPersian}
              data-testid="hours-persian"
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  addPersian();
                }
              }}
            />
            <button
              type="button"
              className="button button--secondary"
              data-testid="hours-add-persian"
              onClick={addPersian}
            >
              {t('common.add')}
            </button>
            <TextField
              label={t('hours.gregorianDate')}
              type="date"
              dir="ltr"
              value={gregorian}
              onValue={setGregorian}
            />
            <button
              type="button"
              className="button button--secondary"
              disabled={!gregorian}
              onClick={() => {
                setD({ ...d, holidays: mergeHolidays(d.holidays, [gregorian]) });
                setGregorian('');
              }}
            >
              {t('common.add')}
            </button>
            <button
              type="button"
              className="button button--secondary"
              data-testid="hours-nowruz"
              onClick={() =>
                setD({ ...d, holidays: mergeHolidays(d.holidays, nowruzHolidays(nowruzYear)) })
              }
            >
              {t('hours.nowruz', {
                year: new Intl.NumberFormat(INTL_TAG[locale], { useGrouping: false }).format(
                  nowruzYear,
                ),
              })}
            </button>
          </div>
          {holidayError ? (
            <p className="form__error" role="alert">
              {holidayError}
            </p>
          ) : null}
          {d.holidays.length ? (
            <ul className="hours__holiday-list" data-testid="hours-holidays">
              {d.holidays.map((h) => (
                <li key={h} className="chip">
                  <span lang="fa" dir="rtl">
                    {new Intl.DateTimeFormat('fa-IR', {
                      dateStyle: 'medium',
                      timeZone: 'UTC',
                    }).format(new Date(`${h}T12:00:00Z`))}
                  </span>
                  <span className="muted" dir="ltr" title={isoToPersian(h)}>
                    {gregorianFormat.format(new Date(`${h}T12:00:00Z`))}
                  </span>
                  <button
                    type="button"
                    className="chip__remove"
                    aria-label={t('hours.removeHoliday', { day: h })}
                    onClick={() => setD({ ...d, holidays: d.holidays.filter((x) => x !== h) })}
                  >
                    ×
                  </button>
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">{t('hours.noHolidays')}</p>
          )}
        </fieldset>

        <div className="form__actions">
          <button type="button" className="button button--ghost" onClick={onCancel}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="button button--primary" data-testid="hours-save">
            {t('common.save')}
          </button>
        </div>
      </form>
    </Card>
  );
}

/** "When do 90 minutes of open time after Thursday 15:00 end?" against the server's clock. */
function DueTester({ calendars }: { calendars: BusinessHours[] }) {
  const { t, locale } = useAdminI18n();
  const [id, setId] = useState(calendars[0]?.id ?? '');
  const [from, setFrom] = useState(() => localInput(new Date()));
  const [minutes, setMinutes] = useState('60');
  const [answer, setAnswer] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const calendar = calendars.find((c) => c.id === id) ?? calendars[0];

  async function ask(e: FormEvent) {
    e.preventDefault();
    if (!calendar) return;
    setError(null);
    setAnswer(null);
    try {
      const { dueAt } = await ladderApi.due(
        calendar.id,
        new Date(from).toISOString(),
        Number(minutes),
      );
      setAnswer(
        new Intl.DateTimeFormat(INTL_TAG[locale], {
          dateStyle: 'full',
          timeStyle: 'short',
          timeZone: calendar.timeZone,
        }).format(new Date(dueAt)),
      );
    } catch (err) {
      setError(errorText(err));
    }
  }

  return (
    <Card title={t('hours.tester')}>
      <form className="form form--inline" data-testid="hours-tester" onSubmit={(e) => void ask(e)}>
        <Field label={t('hours.calendar')}>
          <select value={calendar?.id ?? ''} onChange={(e) => setId(e.target.value)}>
            {calendars.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </Field>
        <TextField
          label={t('hours.from')}
          type="datetime-local"
          dir="ltr"
          required
          value={from}
          onValue={setFrom}
        />
        <TextField
          label={t('hours.minutes')}
          type="number"
          min={0}
          dir="ltr"
          required
          value={minutes}
          onValue={setMinutes}
        />
        <button type="submit" className="button button--primary">
          {t('hours.ask')}
        </button>
      </form>
      {answer ? (
        <p className="notice" role="status" data-testid="hours-due">
          {t('hours.dueAnswer', { when: answer, zone: calendar?.timeZone ?? '' })}
        </p>
      ) : null}
      {error ? (
        <p className="notice notice--error" role="alert">
          {error}
        </p>
      ) : null}
    </Card>
  );
}

/** A Date as a `datetime-local` value in the browser's zone. */
function localInput(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}
