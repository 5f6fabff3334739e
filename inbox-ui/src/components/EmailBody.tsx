import { useMemo, useState } from 'react';
import { useI18n } from '../i18n/I18nContext';
import { sanitizeEmail } from '../lib/emailHtml';
import { resolveInlineImages } from '../lib/emailInline';

/**
 * An email's HTML in a sandboxed iframe: `sandbox=""` grants nothing (no scripts, no forms, no
 * same-origin access, no navigation of the app), so even HTML the sanitiser missed cannot act.
 */
export function EmailBody({
  html,
  inline,
}: {
  html: string;
  /** Inline images (`cid:`) as `data:` URLs by Content-ID. */
  inline?: Readonly<Record<string, string>>;
}) {
  const { t } = useI18n();
  const [allowRemote, setAllowRemote] = useState(false);
  const sanitized = useMemo(
    () =>
      typeof DOMParser === 'undefined'
        ? { doc: '', blocked: 0 }
        : sanitizeEmail(inline ? resolveInlineImages(html, inline) : html, allowRemote),
    [html, inline, allowRemote],
  );
  return (
    <div className="email-body">
      {sanitized.blocked > 0 && !allowRemote ? (
        <div className="email-body__notice">
          <span>{t('msg.remoteImagesBlocked')}</span>
          <button type="button" className="link-button" onClick={() => setAllowRemote(true)}>
            {t('msg.showRemoteImages')}
          </button>
        </div>
      ) : null}
      <iframe
        className="email-body__frame"
        title={t('msg.emailBody')}
        sandbox=""
        referrerPolicy="no-referrer"
        srcDoc={sanitized.doc}
      />
    </div>
  );
}
