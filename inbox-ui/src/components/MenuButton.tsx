import { IconMenu } from './Icons';
import { useI18n } from '../i18n/I18nContext';

/** Opens the navigation on a narrow screen (hidden on wide ones), at the head of every screen. */
export function MenuButton({ onClick }: { onClick: () => void }) {
  const { t } = useI18n();
  return (
    <button
      type="button"
      className="icon-button list-pane__menu"
      aria-label={t('nav.menu')}
      onClick={onClick}
    >
      <IconMenu />
    </button>
  );
}
