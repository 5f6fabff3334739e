import type { Viewer } from '../../api/types';
import { formatList } from '../../i18n/core';
import { useI18n } from '../../i18n/I18nContext';

/** Who else has this conversation open, and who of them is typing, so two agents do not clash. */
export function CollisionWarning({ viewers }: { viewers: Viewer[] }) {
  const { t, locale } = useI18n();
  if (!viewers.length) return null;
  const typers = viewers.filter((v) => v.typing);
  const watchers = viewers.filter((v) => !v.typing);
  return (
    <div className="collision" role="status" data-testid="collision-warning">
      {typers.length ? (
        <strong>
          {t('collision.typing', {
            count: typers.length,
            names: formatList(
              locale,
              typers.map((v) => v.name),
            ),
          })}
        </strong>
      ) : null}
      {watchers.length ? (
        <span>
          {t('collision.viewing', {
            count: watchers.length,
            names: formatList(
              locale,
              watchers.map((v) => v.name),
            ),
          })}
        </span>
      ) : null}
    </div>
  );
}
