import type { User } from '../../api/types';
import { MenuButton } from '../MenuButton';
import { useI18n } from '../../i18n/I18nContext';
import { CUSTOMER_TABS, formatRoute, type CustomerTab } from '../../lib/router';
import { ChurnList } from './ChurnList';
import { MergeList } from './MergeList';

/** The Customers screen: valuable customers at risk of leaving, and possible duplicates. */
export default function Customers({
  me,
  tab,
  onOpen,
  onOpenMenu,
}: {
  me: User;
  tab: CustomerTab;
  onOpen: (conversationId: string) => void;
  onOpenMenu: () => void;
}) {
  const { t } = useI18n();
  return (
    <div className="settings customers" data-testid="customers">
      <header className="settings__header">
        <MenuButton onClick={onOpenMenu} />
        <h1>{t('customers.title')}</h1>
      </header>
      <div className="tabs" role="tablist" aria-label={t('customers.title')}>
        {CUSTOMER_TABS.map((x) => (
          <a
            key={x}
            role="tab"
            className="tabs__tab"
            aria-selected={tab === x}
            href={formatRoute({ screen: 'customers', tab: x })}
          >
            {t(`customers.tab.${x}`)}
          </a>
        ))}
      </div>
      <div className="settings__body" role="tabpanel">
        {tab === 'churn' ? <ChurnList onOpen={onOpen} /> : <MergeList me={me} />}
      </div>
    </div>
  );
}
