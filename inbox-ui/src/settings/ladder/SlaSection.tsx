import { useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../../api/client';
import { ladderApi } from '../../api/ladder';
import type { BusinessHours, SlaPolicy, SlaPolicyInput } from '../../api/ladder';
import { CHANNELS, PRIORITIES } from '../../api/types';
import type { Channel, Inbox, Priority } from '../../api/types';
import { Field, TextField } from '../../components/Field';
import { formatNumber, levelKey } from '../../i18n/core';
import { useAdminI18n } from './i18n';
import { SLA_TARGETS } from '../../lib/sla';
import type { SlaTarget } from '../../lib/sla';
import { Card, DeleteButton, RowButton, RowsCard } from '../parts';
import type { Run } from '../parts';
import { minutesOrNull, useLoad } from './useLoad';

const load = () =>
  Promise.all([ladderApi.slaPolicies(), ladderApi.businessHours(), api.inboxes()]).then(
    ([p, h, i]) => ({ policies: p.items, calendars: h.items, inboxes: i.items }),
  );
const EMPTY = {
  policies: [] as SlaPolicy[],
  calendars: [] as BusinessHours[],
  inboxes: [] as Inbox[],
};

const LEVELS = ['1', '2', '3', '4'] as const;
type Targets = Record<SlaTarget, string>;
const key = (target: SlaTarget) => `${target}Minutes` as const;

interface Draft {
  id: string | null;
  name: string;
  businessHoursId: string;
  targets: Targets;
  levels: Record<(typeof LEVELS)[number], Targets>;
  warningPercent: string;
  complaint: '' | 'yes' | 'no';
  appliesLevels: number[];
  priorities: Priority[];
  channels: Channel[];
  inboxIds: string[];
  tiers: string;
  enabled: boolean;
}

const text = (n: number | null | undefined) => (n ? String(n) : '');

function toDraft(p: SlaPolicy | null): Draft {
  const level = (l: string): Targets => {
    const x = p?.levelTargets[l];
    return {
      firstResponse: text(x?.firstResponseMinutes),
      nextResponse: text(x?.nextResponseMinutes),
      resolution: text(x?.resolutionMinutes),
    };
  };
  const a = p?.appliesTo ?? {};
  return {
    id: p?.id ?? null,
    name: p?.name ?? '',
    businessHoursId: p?.businessHoursId ?? '',
    targets: p
      ? {
          firstResponse: text(p.firstResponseMinutes),
          nextResponse: text(p.nextResponseMinutes),
          resolution: text(p.resolutionMinutes),
        }
      : { firstResponse: '60', nextResponse: '240', resolution: '2880' },
    levels: { '1': level('1'), '2': level('2'), '3': level('3'), '4': level('4') },
    warningPercent: String(p?.warningPercent ?? 80),
    complaint: a.complaint === true ? 'yes' : a.complaint === false ? 'no' : '',
    appliesLevels: a.levels ?? [],
    priorities: (a.priorities ?? []) as Priority[],
    channels: (a.channels ?? []) as Channel[],
    inboxIds: a.inboxIds ?? [],
    tiers: (a.tiers ?? []).join(', '),
    enabled: p?.enabled ?? true,
  };
}

function toInput(d: Draft): SlaPolicyInput & { name: string } {
  const levelTargets: NonNullable<SlaPolicyInput['levelTargets']> = {};
  for (const l of LEVELS) {
    const entries = SLA_TARGETS.flatMap((t) => {
      const m = minutesOrNull(d.levels[l][t]);
      return m ? [[key(t), m] as const] : [];
    });
    if (entries.length) levelTargets[l] = Object.fromEntries(entries);
  }
  const tiers = d.tiers
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  return {
    name: d.name.trim(),
    businessHoursId: d.businessHoursId || null,
    firstResponseMinutes: minutesOrNull(d.targets.firstResponse),
    nextResponseMinutes: minutesOrNull(d.targets.nextResponse),
    resolutionMinutes: minutesOrNull(d.targets.resolution),
    levelTargets,
    warningPercent: Number(d.warningPercent) || 80,
    enabled: d.enabled,
    appliesTo: {
      ...(d.complaint ? { complaint: d.complaint === 'yes' } : {}),
      ...(d.appliesLevels.length ? { levels: d.appliesLevels } : {}),
      ...(d.priorities.length ? { priorities: d.priorities } : {}),
      ...(d.channels.length ? { channels: d.channels } : {}),
      ...(d.inboxIds.length ? { inboxIds: d.inboxIds } : {}),
      ...(tiers.length ? { tiers } : {}),
    },
  };
}

const toggle = <T,>(list: T[], x: T) =>
  list.includes(x) ? list.filter((y) => y !== x) : [...list, x];

/** SLA policies: what they apply to, targets (per complaint level), warning, calendar. */
export default function SlaSection({ run }: { run: Run }) {
  const { t, locale } = useAdminI18n();
  const { data, reload } = useLoad(load, EMPTY);
  const [draft, setDraft] = useState<Draft | null>(null);
  const minutes = (n: number | null) => (n ? t('sla.minutes', { count: n }) : t('common.notSet'));

  return (
    <>
      <RowsCard title={t('settings.sla')} count={data.policies.length}>
        {data.policies.map((p) => (
          <li key={p.id} className={p.enabled ? 'rows__item' : 'rows__item is-inactive'}>
            <div className="rows__main">
              <strong dir="auto">{p.name}</strong>
              <span className="muted">
                {SLA_TARGETS.map((tg) => `${t(`sla.target.${tg}`)}: ${minutes(p[key(tg)])}`).join(
                  ' · ',
                )}
              </span>
              <span className="muted">
                {t('sla.warningAt', { percent: formatNumber(locale, p.warningPercent) })}
                {' · '}
                {data.calendars.find((c) => c.id === p.businessHoursId)?.name ?? t('sla.allHours')}
              </span>
            </div>
            <div className="rows__actions">
              <RowButton onClick={() => setDraft(toDraft(p))}>{t('common.edit')}</RowButton>
              <DeleteButton
                name={p.name}
                onDelete={() =>
                  void run(() => ladderApi.deleteSlaPolicy(p.id), t('common.saved')).then(() =>
                    reload(),
                  )
                }
              />
            </div>
          </li>
        ))}
      </RowsCard>
      {draft ? (
        <PolicyEditor
          key={draft.id ?? 'new'}
          initial={draft}
          calendars={data.calendars}
          inboxes={data.inboxes}
          run={run}
          onDone={(saved) => {
            setDraft(null);
            if (saved) void reload();
          }}
        />
      ) : (
        <p>
          <button
            type="button"
            className="button button--primary"
            data-testid="sla-new"
            onClick={() => setDraft(toDraft(null))}
          >
            {t('sla.new')}
          </button>
        </p>
      )}
    </>
  );
}

function PolicyEditor({
  initial,
  calendars,
  inboxes,
  run,
  onDone,
}: {
  initial: Draft;
  calendars: BusinessHours[];
  inboxes: Inbox[];
  run: Run;
  onDone: (saved: boolean) => void;
}) {
  const { t } = useAdminI18n();
  const [d, setD] = useState(initial);

  async function save(e: FormEvent) {
    e.preventDefault();
    const body = toInput(d);
    const ok = await run(
      () => (d.id ? ladderApi.updateSlaPolicy(d.id, body) : ladderApi.createSlaPolicy(body)),
      t('common.saved'),
    );
    if (ok) onDone(true);
  }

  return (
    <Card title={d.id ? d.name : t('sla.new')}>
      <form className="form" data-testid="sla-editor" onSubmit={(e) => void save(e)}>
        <div className="form__row">
          <TextField
            label={t('settings.name')}
            required
            dir="auto"
            value={d.name}
            onValue={(name) => setD({ ...d, name })}
            data-testid="sla-name"
          />
          <Field label={t('hours.calendar')}>
            <select
              value={d.businessHoursId}
              onChange={(e) => setD({ ...d, businessHoursId: e.target.value })}
            >
              <option value="">{t('sla.allHours')}</option>
              {calendars.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </Field>
          <TextField
            label={t('sla.warningPercent')}
            type="number"
            min={1}
            max={99}
            dir="ltr"
            value={d.warningPercent}
            onValue={(warningPercent) => setD({ ...d, warningPercent })}
          />
          <label className="field field--check">
            <input
              type="checkbox"
              checked={d.enabled}
              onChange={(e) => setD({ ...d, enabled: e.target.checked })}
            />
            <span>{t('settings.enabled')}</span>
          </label>
        </div>

        <table className="table sla__targets">
          <caption>{t('sla.targets')}</caption>
          <thead>
            <tr>
              <th />
              {SLA_TARGETS.map((tg) => (
                <th key={tg}>{t(`sla.target.${tg}`)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">{t('sla.default')}</th>
              {SLA_TARGETS.map((tg) => (
                <td key={tg}>
                  <input
                    type="number"
                    min={1}
                    dir="ltr"
                    aria-label={`${t('sla.default')} · ${t(`sla.target.${tg}`)}`}
                    data-testid={`sla-${tg}`}
                    placeholder={t('sla.minutesShort')}
                    value={d.targets[tg]}
                    onChange={(e) =>
                      setD({ ...d, targets: { ...d.targets, [tg]: e.target.value } })
                    }
                  />
                </td>
              ))}
            </tr>
            {LEVELS.map((l) => (
              <tr key={l}>
                <th scope="row">{t(levelKey(Number(l)))}</th>
                {SLA_TARGETS.map((tg) => (
                  <td key={tg}>
                    <input
                      type="number"
                      min={1}
                      dir="ltr"
                      aria-label={`${t(levelKey(Number(l)))} · ${t(`sla.target.${tg}`)}`}
                      placeholder={t('sla.inherit')}
                      value={d.levels[l][tg]}
                      onChange={(e) =>
                        setD({
                          ...d,
                          levels: { ...d.levels, [l]: { ...d.levels[l], [tg]: e.target.value } },
                        })
                      }
                    />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>

        <fieldset className="sla__applies">
          <legend>{t('sla.appliesTo')}</legend>
          <p className="muted">{t('sla.appliesHint')}</p>
          <Field label={t('sla.complaint')}>
            <select
              value={d.complaint}
              onChange={(e) =>
                setD({
                  ...d,
                  complaint: e.target.value === 'yes' ? 'yes' : e.target.value === 'no' ? 'no' : '',
                })
              }
            >
              <option value="">{t('common.any')}</option>
              <option value="yes">{t('sla.complaintYes')}</option>
              <option value="no">{t('sla.complaintNo')}</option>
            </select>
          </Field>
          <Checks
            label={t('sla.levels')}
            options={[1, 2, 3, 4].map((l) => ({ value: l, label: t('level.short', { level: l }) }))}
            selected={d.appliesLevels}
            onToggle={(l) => setD({ ...d, appliesLevels: toggle(d.appliesLevels, l) })}
          />
          <Checks
            label={t('conv.priority')}
            options={PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))}
            selected={d.priorities}
            onToggle={(p) => setD({ ...d, priorities: toggle(d.priorities, p) })}
          />
          <Checks
            label={t('settings.channel')}
            options={CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) }))}
            selected={d.channels}
            onToggle={(c) => setD({ ...d, channels: toggle(d.channels, c) })}
          />
          {inboxes.length ? (
            <Checks
              label={t('settings.inboxes')}
              options={inboxes.map((i) => ({ value: i.id, label: i.name }))}
              selected={d.inboxIds}
              onToggle={(i) => setD({ ...d, inboxIds: toggle(d.inboxIds, i) })}
            />
          ) : null}
          <TextField
            label={t('sla.tiers')}
            dir="auto"
            placeholder="gold, vip"
            value={d.tiers}
            onValue={(tiers) => setD({ ...d, tiers })}
          />
        </fieldset>

        <div className="form__actions">
          <button type="button" className="button button--ghost" onClick={() => onDone(false)}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="button button--primary" data-testid="sla-save">
            {t('common.save')}
          </button>
        </div>
      </form>
    </Card>
  );
}

export function Checks<T extends string | number>({
  label,
  options,
  selected,
  onToggle,
}: {
  label: string;
  options: { value: T; label: string }[];
  selected: readonly T[];
  onToggle: (value: T) => void;
}) {
  return (
    <fieldset className="checks">
      <legend>{label}</legend>
      {options.map((o) => (
        <label key={String(o.value)} className="checks__item">
          <input
            type="checkbox"
            checked={selected.includes(o.value)}
            onChange={() => onToggle(o.value)}
          />
          <span dir="auto">{o.label}</span>
        </label>
      ))}
    </fieldset>
  );
}
