import { useI18n } from '../i18n/I18nContext';
import { tierLabel } from '../lib/tiers';
import { segmentLabel } from './ContactSidebar';

/** The contact's value tier and RFM segment, as badges (nothing when unknown). */
export function CustomerBadges({
  tier,
  segment,
}: {
  tier?: string | null | undefined;
  segment?: string | null | undefined;
}) {
  const { t } = useI18n();
  return (
    <>
      {tier ? (
        <span
          className={`badge badge--tier badge--tier-${tier}`}
          title={t('filter.tier')}
          data-testid="tier-badge"
        >
          {tierLabel(tier, t)}
        </span>
      ) : null}
      {segment ? (
        <span
          className={`badge badge--segment badge--segment-${segment}`}
          title={t('filter.segment')}
          data-testid="segment-badge"
        >
          {segmentLabel(segment, t)}
        </span>
      ) : null}
    </>
  );
}
