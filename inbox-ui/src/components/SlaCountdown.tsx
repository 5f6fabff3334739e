import type { Conversation } from '../api/types';
import { INTL_TAG } from '../i18n/core';
import type { Translate } from '../i18n/core';
import { useI18n } from '../i18n/I18nContext';
import type { Locale } from '../api/types';
import { formatDateTime } from '../lib/format';
import { useNow } from '../lib/hooks';
import { countdownParts, slaClocks, slaSummary, tickInterval } from '../lib/sla';
import type { SlaMarks } from '../lib/sla';

type SlaFields = Parameters<typeof slaSummary>[0];

const twoDigits = new Map<Locale, Intl.NumberFormat>();

/** "4m 09s", "۴ دقیقه ۰۹ ثانیه", "3 ч 05 м": the two largest units, the second one padded. */
export function formatCountdown(ms: number, t: Translate, locale: Locale): string {
  const { units } = countdownParts(ms);
  let pad = twoDigits.get(locale);
  if (!pad) {
    pad = new Intl.NumberFormat(INTL_TAG[locale], { minimumIntegerDigits: 2 });
    twoDigits.set(locale, pad);
  }
  const [a, ua, b, ub] = units;
  // "45s", not "0m 45s".
  if (a === 0) return t(`sla.unit.${ub}`, { n: b });
  return `${t(`sla.unit.${ua}`, { n: a })} ${t(`sla.unit.${ub}`, { n: pad.format(b) })}`;
}

/** A countdown text: "12m 04s left" or "3m 10s overdue". */
function countdownText(ms: number, t: Translate, locale: Locale): string {
  const time = formatCountdown(ms, t, locale);
  return ms < 0 ? t('sla.overdue', { time }) : t('sla.left', { time });
}

/**
 * The soonest SLA clock of a conversation, for its list row: amber at the warning threshold,
 * red once breached. Ticks on its own, every second in the last hour; `now` fixes the time
 * (tests).
 */
export function SlaBadge({
  conversation,
  marks,
  now: fixedNow,
}: {
  conversation: SlaFields;
  marks?: SlaMarks | undefined;
  now?: number;
}) {
  const { t, locale } = useI18n();
  const firstGuess = slaSummary(conversation, fixedNow ?? Date.now(), marks);
  const liveNow = useNow(
    firstGuess?.kind === 'running' ? tickInterval(firstGuess.clock.remainingMs) : 60_000,
  );
  const summary = slaSummary(conversation, fixedNow ?? liveNow, marks);
  if (!summary) return null;
  if (summary.kind === 'paused')
    return (
      <span
        className={`sla sla--${summary.tone} sla--paused`}
        data-testid="sla-countdown"
        data-tone={summary.tone}
      >
        {t('sla.paused')}
      </span>
    );
  const { clock, tone } = summary;
  return (
    <span
      className={`sla sla--${tone}`}
      data-testid="sla-countdown"
      data-tone={tone}
      title={`${t(`sla.target.${clock.target}`)} · ${t('sla.dueAt', {
        when: formatDateTime(clock.dueAt, locale),
      })}`}
    >
      {countdownText(clock.remainingMs, t, locale)}
    </span>
  );
}

/** Every running clock of the open conversation, with its due time. */
export function SlaClocks({
  conversation,
  marks,
  now: fixedNow,
}: {
  conversation: Pick<
    Conversation,
    'firstResponseDueAt' | 'nextResponseDueAt' | 'resolutionDueAt' | 'slaState' | 'status'
  >;
  marks?: SlaMarks | undefined;
  now?: number;
}) {
  const { t, locale } = useI18n();
  const first = slaClocks(conversation, fixedNow ?? Date.now(), marks)[0];
  const liveNow = useNow(first ? tickInterval(first.remainingMs) : 60_000);
  const clocks = slaClocks(conversation, fixedNow ?? liveNow, marks);
  if (!clocks.length) {
    return conversation.slaState && conversation.status !== 'resolved' ? (
      <p className="sla-clocks__paused muted" data-testid="sla-clocks">
        {t('sla.pausedLong')}
      </p>
    ) : null;
  }
  return (
    <ul className="sla-clocks" data-testid="sla-clocks" aria-label={t('sla.title')}>
      {clocks.map((c) => (
        <li key={c.target} className={`sla-clocks__item sla--${c.tone}`} data-tone={c.tone}>
          <span className="sla-clocks__target">{t(`sla.target.${c.target}`)}</span>
          <strong className="sla-clocks__left" data-testid={`sla-${c.target}`}>
            {countdownText(c.remainingMs, t, locale)}
          </strong>
          <time className="sla-clocks__due muted" dateTime={c.dueAt}>
            {formatDateTime(c.dueAt, locale)}
          </time>
        </li>
      ))}
    </ul>
  );
}
