import { useI18n } from '../i18n/I18nContext';
import { SHORTCUT_HELP } from '../lib/shortcuts';
import { Dialog } from './Dialog';

export function ShortcutHelp({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  return (
    <Dialog title={t('shortcuts.title')} onClose={onClose}>
      <table className="shortcuts">
        <tbody>
          {SHORTCUT_HELP.map((row) => (
            <tr key={row.label}>
              <td className="shortcuts__keys" dir="ltr">
                {row.keys.map((k, i) => (
                  <span key={k}>
                    {i > 0 ? ' + ' : null}
                    <kbd>{k}</kbd>
                  </span>
                ))}
              </td>
              <td>{t(row.label)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Dialog>
  );
}
