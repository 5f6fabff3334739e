import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/I18nContext';
import {
  checkRange,
  formatDay,
  MAX_DAYS,
  parseDay,
  presetOf,
  presetRange,
  PRESETS,
  type CalendarKind,
  type DayRange,
} from './dateRange';

interface Props {
  range: DayRange;
  today: string;
  calendar: CalendarKind;
  onRange: (range: DayRange) => void;
  onCalendar: (calendar: CalendarKind) => void;
}

const EXAMPLE: Record<CalendarKind, string> = { gregorian: '2025-03-21', persian: '1404/01/01' };

/**
 * The period of the report: presets, and the first and last day typed in the Gregorian or
 * Persian calendar (Persian digits welcome). A range is applied once both days are real days
 * in order; until then the fields say what is wrong.
 */
export function RangePicker({ range, today, calendar, onRange, onCalendar }: Props) {
  const { t } = useI18n();
  const [from, setFrom] = useState(formatDay(range.from, calendar));
  const [to, setTo] = useState(formatDay(range.to, calendar));

  // A preset or a change of calendar rewrites both fields.
  useEffect(() => {
    setFrom(formatDay(range.from, calendar));
    setTo(formatDay(range.to, calendar));
  }, [range, calendar]);

  const draft = { from: parseDay(from, calendar) ?? '', to: parseDay(to, calendar) ?? '' };
  const problem = checkRange(draft);
  const chosen = presetOf(range, today, calendar);

  function edit(next: { from: string; to: string }) {
    setFrom(next.from);
    setTo(next.to);
    const parsed = {
      from: parseDay(next.from, calendar) ?? '',
      to: parseDay(next.to, calendar) ?? '',
    };
    if (!checkRange(parsed) && (parsed.from !== range.from || parsed.to !== range.to))
      onRange(parsed);
  }

  return (
    <fieldset className="range-picker">
      <legend className="visually-hidden">{t('reports.period')}</legend>
      <div className="range-picker__presets" role="group" aria-label={t('reports.period')}>
        {PRESETS.map((p) => (
          <button
            key={p}
            type="button"
            className={chosen === p ? 'range-preset is-on' : 'range-preset'}
            aria-pressed={chosen === p}
            data-testid={`preset-${p}`}
            onClick={() => onRange(presetRange(p, today, calendar))}
          >
            {t(`reports.preset.${p}`)}
          </button>
        ))}
      </div>
      <label className="field">
        <span>{t('reports.from')}</span>
        <input
          value={from}
          dir="ltr"
          inputMode="numeric"
          data-testid="range-from"
          aria-invalid={problem === 'invalid' && !draft.from ? true : undefined}
          placeholder={EXAMPLE[calendar]}
          onChange={(e) => edit({ from: e.target.value, to })}
        />
      </label>
      <label className="field">
        <span>{t('reports.to')}</span>
        <input
          value={to}
          dir="ltr"
          inputMode="numeric"
          data-testid="range-to"
          aria-invalid={problem === 'invalid' && !draft.to ? true : undefined}
          placeholder={EXAMPLE[calendar]}
          onChange={(e) => edit({ from, to: e.target.value })}
        />
      </label>
      <label className="field">
        <span>{t('reports.calendar')}</span>
        <select
          value={calendar}
          data-testid="range-calendar"
          onChange={(e) => onCalendar(e.target.value === 'persian' ? 'persian' : 'gregorian')}
        >
          <option value="gregorian">{t('reports.calendar.gregorian')}</option>
          <option value="persian">{t('reports.calendar.persian')}</option>
        </select>
      </label>
      {problem ? (
        <p className="form__error range-picker__error" role="alert">
          {problem === 'invalid'
            ? t('reports.range.invalid', { example: EXAMPLE[calendar] })
            : problem === 'reversed'
              ? t('reports.range.reversed')
              : t('reports.range.tooLong', { days: MAX_DAYS })}
        </p>
      ) : null}
    </fieldset>
  );
}
