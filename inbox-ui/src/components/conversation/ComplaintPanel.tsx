import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { ladderApi, SEVERITIES } from '../../api/ladder';
import type {
  Category,
  ComplaintPatch,
  ComplaintWithTimeline,
  Severity,
  TimelineEntry,
} from '../../api/ladder';
import type { ConversationWithContact, Locale } from '../../api/types';
import { levelKey } from '../../i18n/core';
import type { Translate } from '../../i18n/core';
import { useI18n } from '../../i18n/I18nContext';
import { formatDateTime } from '../../lib/format';
import type { SlaMarks } from '../../lib/sla';
import { Field, SelectField } from '../Field';
import { IconFlame } from '../Icons';
import { SlaClocks } from '../SlaCountdown';

/** The active categories, fetched once per page load and shared by every panel. */
let categoriesOnce: Promise<Category[]> | null = null;
export function loadCategories(): Promise<Category[]> {
  categoriesOnce ??= ladderApi.categories().then(
    (page) => page.items,
    (err: unknown) => {
      categoriesOnce = null;
      throw err;
    },
  );
  return categoriesOnce;
}

export function categoryName(
  key: string | null,
  categories: readonly Category[],
  locale: Locale,
): string {
  if (!key) return '';
  return categories.find((c) => c.key === key)?.names[locale] ?? key;
}

/** Who moved a complaint: an agent by name, a rule by name, the customer, or the system. */
export function timelineActor(e: TimelineEntry, t: Translate): string {
  if (e.actorType === 'user' && e.actor) return e.actor.name;
  if (e.actorType === 'rule') return t('complaint.by.rule', { name: e.rule ?? '' });
  if (e.actorType === 'customer') return t('complaint.by.customer');
  return t('complaint.by.system');
}

const EDITABLE = ['desiredOutcome', 'offered', 'rootCause', 'resolution'] as const;
type Editable = (typeof EDITABLE)[number];

interface Props {
  conv: ConversationWithContact;
  marks?: SlaMarks | undefined;
  onEscalate: () => void;
  /** The complaint changed (opened, saved): the conversation should be fetched again. */
  onChanged: (notice: string) => void;
  /** Fixes the time and the loaded data (component tests). */
  initial?: { complaint: ComplaintWithTimeline | null; categories: Category[]; now: number };
}

/**
 * The complaint of the open conversation: reference, category, severity, level with its
 * timeline, the legal flag, what the customer wants and what we did about it; its SLA clocks
 * and the customer's rating. Without a complaint, a form to open one.
 */
export function ComplaintPanel({ conv, marks, onEscalate, onChanged, initial }: Props) {
  const { t, locale } = useI18n();
  const [complaint, setComplaint] = useState<ComplaintWithTimeline | null>(
    initial?.complaint ?? null,
  );
  const [categories, setCategories] = useState<Category[]>(initial?.categories ?? []);
  const [expanded, setExpanded] = useState(false);
  const [opening, setOpening] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const summary = conv.complaint;

  useEffect(() => {
    if (initial) return;
    loadCategories().then(setCategories, () => setCategories([]));
  }, [initial]);

  // Reload the record when the conversation says it changed (level, status, reference).
  const version = summary
    ? `${summary.id}:${summary.level}:${summary.status}:${conv.updatedAt}`
    : '';
  useEffect(() => {
    if (initial) return;
    if (!version) {
      setComplaint(null);
      return;
    }
    let live = true;
    ladderApi.complaint(conv.id).then(
      (c) => live && setComplaint(c),
      () => live && setComplaint(null),
    );
    return () => {
      live = false;
    };
  }, [conv.id, version, initial]);

  const legal = complaint?.legalFlag ?? summary?.legalFlag ?? false;

  return (
    <section
      className={legal ? 'complaint complaint--legal' : 'complaint'}
      data-testid="complaint-panel"
      aria-label={t('complaint.title')}
    >
      <div className="complaint__bar">
        {summary ? (
          <>
            <strong className="complaint__ref" dir="ltr" data-testid="complaint-reference">
              {summary.reference}
            </strong>
            <span className={`badge badge--level badge--level-${summary.level}`}>
              {t(levelKey(summary.level))}
            </span>
            {summary.category ? (
              <span className="complaint__category" dir="auto">
                {categoryName(summary.category, categories, locale)}
              </span>
            ) : null}
            {complaint?.severity ? (
              <span className={`badge badge--severity-${complaint.severity}`}>
                {t(`complaint.severity.${complaint.severity as Severity}`)}
              </span>
            ) : null}
            <span className="badge">{t(`complaint.status.${statusKey(summary.status)}`)}</span>
            {legal ? (
              <span
                className="badge badge--danger"
                data-testid="complaint-legal"
                title={t('complaint.legalHint')}
              >
                {t('complaint.legal')}
              </span>
            ) : null}
          </>
        ) : (
          <span className="muted">{t('complaint.none')}</span>
        )}
        {conv.csat !== null ? (
          <span className="badge badge--ok" data-testid="csat">
            {t('csat.value', { rating: conv.csat })}
          </span>
        ) : null}
        <span className="complaint__actions">
          {summary ? (
            <>
              <button
                type="button"
                className="button button--ghost button--small"
                onClick={onEscalate}
                disabled={summary.level >= 4}
              >
                <IconFlame size={14} /> {t('conv.escalate')}
              </button>
              <button
                type="button"
                className="button button--ghost button--small"
                aria-expanded={expanded}
                data-testid="complaint-details"
                onClick={() => setExpanded((x) => !x)}
              >
                {expanded ? t('complaint.hide') : t('complaint.details')}
              </button>
            </>
          ) : (
            <button
              type="button"
              className="button button--secondary button--small"
              data-testid="complaint-open"
              aria-expanded={opening}
              onClick={() => setOpening((x) => !x)}
            >
              {t('complaint.open')}
            </button>
          )}
        </span>
      </div>
      <SlaClocks conversation={conv} marks={marks} now={initial?.now} />
      {error ? (
        <p className="form__error" role="alert">
          {error}
        </p>
      ) : null}
      {!summary && opening ? (
        <OpenComplaintForm
          categories={categories}
          onCancel={() => setOpening(false)}
          onSubmit={async (body) => {
            setError(null);
            try {
              const c = await ladderApi.openComplaint(conv.id, body);
              setOpening(false);
              setExpanded(true);
              onChanged(t('complaint.opened', { reference: c.reference }));
            } catch (err) {
              setError(err instanceof Error ? err.message : String(err));
            }
          }}
        />
      ) : null}
      {summary && expanded && complaint ? (
        <ComplaintDetails
          key={complaint.updatedAt}
          complaint={complaint}
          categories={categories}
          onSave={async (patch) => {
            setError(null);
            try {
              await ladderApi.updateComplaint(complaint.id, patch);
              setComplaint({ ...complaint, ...patch, updatedAt: new Date().toISOString() });
              onChanged(t('common.saved'));
            } catch (err) {
              setError(err instanceof Error ? err.message : String(err));
            }
          }}
        />
      ) : null}
    </section>
  );
}

function statusKey(status: string): 'open' | 'reopened' | 'resolved' | 'closed' {
  return status === 'reopened' || status === 'resolved' || status === 'closed' ? status : 'open';
}

function OpenComplaintForm({
  categories,
  onCancel,
  onSubmit,
}: {
  categories: Category[];
  onCancel: () => void;
  onSubmit: (body: {
    category: string;
    severity: Severity;
    description?: string;
    desiredOutcome?: string;
  }) => Promise<void>;
}) {
  const { t, locale } = useI18n();
  const [category, setCategory] = useState(categories[0]?.key ?? '');
  const [severity, setSeverity] = useState<Severity>('medium');
  const [description, setDescription] = useState('');
  const [wants, setWants] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!category && categories[0]) setCategory(categories[0].key);
  }, [categories, category]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!category) return;
    setBusy(true);
    await onSubmit({
      category,
      severity,
      ...(description.trim() ? { description: description.trim() } : {}),
      ...(wants.trim() ? { desiredOutcome: wants.trim() } : {}),
    });
    setBusy(false);
  }

  return (
    <form
      className="form complaint__form"
      data-testid="complaint-open-form"
      onSubmit={(e) => void submit(e)}
    >
      <div className="form__row">
        <SelectField
          label={t('complaint.category')}
          value={category}
          options={categories.map((c) => ({ value: c.key, label: c.names[locale] }))}
          onValue={setCategory}
        />
        <SelectField
          label={t('complaint.severity')}
          value={severity}
          options={SEVERITIES.map((s) => ({ value: s, label: t(`complaint.severity.${s}`) }))}
          onValue={setSeverity}
        />
      </div>
      <Field label={t('complaint.description')}>
        <textarea
          rows={2}
          dir="auto"
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
      </Field>
      <Field label={t('complaint.desiredOutcome')}>
        <textarea rows={2} dir="auto" value={wants} onChange={(e) => setWants(e.target.value)} />
      </Field>
      <div className="form__actions">
        <button type="button" className="button button--ghost" onClick={onCancel}>
          {t('common.cancel')}
        </button>
        <button
          type="submit"
          className="button button--primary"
          disabled={busy || !category}
          data-testid="complaint-open-submit"
        >
          {t('complaint.open')}
        </button>
      </div>
    </form>
  );
}

function ComplaintDetails({
  complaint,
  categories,
  onSave,
}: {
  complaint: ComplaintWithTimeline;
  categories: Category[];
  onSave: (patch: ComplaintPatch) => Promise<void>;
}) {
  const { t, locale } = useI18n();
  const [draft, setDraft] = useState<Record<Editable, string>>({
    desiredOutcome: complaint.desiredOutcome ?? '',
    offered: complaint.offered ?? '',
    rootCause: complaint.rootCause ?? '',
    resolution: complaint.resolution ?? '',
  });
  const [category, setCategory] = useState(complaint.category ?? '');
  const [busy, setBusy] = useState(false);
  const changed =
    EDITABLE.some((k) => draft[k].trim() !== (complaint[k] ?? '')) ||
    (category !== '' && category !== complaint.category);

  async function save(e: FormEvent) {
    e.preventDefault();
    const patch: ComplaintPatch = {};
    for (const k of EDITABLE) {
      const v = draft[k].trim();
      if (v !== (complaint[k] ?? '')) patch[k] = v || null;
    }
    if (category && category !== complaint.category) patch.category = category;
    setBusy(true);
    await onSave(patch);
    setBusy(false);
  }

  return (
    <div className="complaint__details">
      {complaint.description ? (
        <p className="complaint__description" dir="auto">
          {complaint.description}
        </p>
      ) : null}
      <form className="form" data-testid="complaint-form" onSubmit={(e) => void save(e)}>
        {categories.length ? (
          <SelectField
            label={t('complaint.category')}
            value={category}
            options={categories.map((c) => ({ value: c.key, label: c.names[locale] }))}
            onValue={setCategory}
          />
        ) : null}
        <div className="complaint__fields">
          {EDITABLE.map((k) => (
            <Field key={k} label={t(`complaint.${k}`)}>
              <textarea
                rows={2}
                dir="auto"
                name={k}
                value={draft[k]}
                onChange={(e) => setDraft({ ...draft, [k]: e.target.value })}
              />
            </Field>
          ))}
        </div>
        <div className="form__actions">
          <button
            type="submit"
            className="button button--primary button--small"
            disabled={busy || !changed}
            data-testid="complaint-save"
          >
            {t('common.save')}
          </button>
        </div>
      </form>
      <h3 className="complaint__subtitle">{t('complaint.timeline')}</h3>
      <ol className="complaint__timeline" data-testid="complaint-timeline">
        {complaint.timeline.map((e, i) => (
          <li key={i}>
            <span className={`badge badge--level badge--level-${e.toLevel}`}>
              {t('complaint.levelChange', { from: e.fromLevel, to: e.toLevel })}
            </span>{' '}
            <span dir="auto">{e.reason}</span>
            <span className="muted">
              {' · '}
              <bdi>{timelineActor(e, t)}</bdi>
              {' · '}
              {formatDateTime(e.at, locale)}
            </span>
          </li>
        ))}
      </ol>
      {complaint.reopenCount > 0 ? (
        <p className="muted">{t('complaint.reopenCount', { count: complaint.reopenCount })}</p>
      ) : null}
      {complaint.csat !== null ? (
        <p>
          {t('csat.label')}: <strong>{t('csat.value', { rating: complaint.csat })}</strong>
        </p>
      ) : null}
    </div>
  );
}
