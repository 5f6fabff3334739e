import { useId, useState } from 'react';
import { useI18n } from '../../i18n/I18nContext';
import { invalidAddresses, type EmailDraft } from '../../lib/emailDraft';

interface Props {
  value: EmailDraft;
  onChange: (draft: EmailDraft) => void;
  /** The customer, shown when To is left empty (the reply goes there). */
  defaultTo: string;
  /** The thread's subject: the reply's subject when none is typed (with Re:). */
  defaultSubject: string | null;
}

/** To, CC, BCC, subject and reply-all above the composer of an e-mail conversation. */
export function EmailComposerFields({ value, onChange, defaultTo, defaultSubject }: Props) {
  const { t } = useI18n();
  const id = useId();
  const [copies, setCopies] = useState(Boolean(value.cc || value.bcc));
  const set = (patch: Partial<EmailDraft>) => onChange({ ...value, ...patch });
  const wrong = [value.to, value.cc, value.bcc].flatMap(invalidAddresses);
  const subject = defaultSubject
    ? `Re: ${defaultSubject.replace(/^(re|fwd?|aw|sv):\s*/i, '')}`
    : '';
  return (
    <div className="email-fields" data-testid="email-fields">
      <div className="email-fields__row">
        <label htmlFor={`${id}-to`}>{t('email.to')}</label>
        <input
          id={`${id}-to`}
          dir="ltr"
          value={value.to}
          placeholder={defaultTo}
          onChange={(e) => set({ to: e.target.value })}
        />
        <label className="email-fields__check">
          <input
            type="checkbox"
            checked={value.replyAll}
            onChange={(e) => set({ replyAll: e.target.checked })}
          />
          {t('email.replyAll')}
        </label>
        {!copies ? (
          <button type="button" className="link-button" onClick={() => setCopies(true)}>
            {t('email.ccBcc')}
          </button>
        ) : null}
      </div>
      {copies ? (
        <>
          <div className="email-fields__row">
            <label htmlFor={`${id}-cc`}>{t('email.cc')}</label>
            <input
              id={`${id}-cc`}
              dir="ltr"
              value={value.cc}
              placeholder={value.replyAll ? t('email.ccThread') : ''}
              onChange={(e) => set({ cc: e.target.value })}
            />
          </div>
          <div className="email-fields__row">
            <label htmlFor={`${id}-bcc`}>{t('email.bcc')}</label>
            <input
              id={`${id}-bcc`}
              dir="ltr"
              value={value.bcc}
              onChange={(e) => set({ bcc: e.target.value })}
            />
          </div>
        </>
      ) : null}
      <div className="email-fields__row">
        <label htmlFor={`${id}-subject`}>{t('email.subject')}</label>
        <input
          id={`${id}-subject`}
          dir="auto"
          value={value.subject}
          placeholder={subject}
          onChange={(e) => set({ subject: e.target.value })}
        />
      </div>
      {wrong.length ? (
        <p className="composer__error" role="alert">
          {t('email.invalidAddresses', { list: wrong.join(', ') })}
        </p>
      ) : null}
    </div>
  );
}
