// The e-mail form: a visitor who cannot wait (or is offline) leaves a name and address for a reply.
import { h, type Label } from './dom';
import type { Lang } from './i18n';
import type { Reply } from './session';
import { checkContact, errorText } from './util';

export type SendContact = (contact: { name?: string; email: string }, reply: Reply) => void;

/** `toggle` is the header button that shows and hides the form. */
export function createContactForm(
  lang: Lang,
  label: Label,
  toggle: HTMLButtonElement,
  sendContact: SendContact,
) {
  let savedEmail: string | null = null;

  const nameInput = h('input', {
    class: 'sb-name',
    type: 'text',
    name: 'name',
    autocomplete: 'name',
    maxlength: '200',
    'data-testid': 'sb-contact-name',
  });
  const emailInput = h('input', {
    class: 'sb-email',
    type: 'email',
    name: 'email',
    autocomplete: 'email',
    inputmode: 'email',
    maxlength: '254',
    dir: 'ltr',
    'aria-describedby': 'sb-contact-error',
    'data-testid': 'sb-contact-email',
  });
  const contactError = h('p', {
    class: 'sb-error',
    id: 'sb-contact-error',
    role: 'alert',
    hidden: true,
  });
  const contactOk = h('p', { class: 'sb-ok', role: 'status', hidden: true });
  const submit = label(
    h('button', { type: 'submit', class: 'sb-cbtn', 'data-testid': 'sb-contact-submit' }),
    'contactSubmit',
  );
  const fields = h('div', { class: 'sb-contact-fields' }, [
    h('label', { class: 'sb-field' }, [label(h('span'), 'name'), nameInput]),
    h('label', { class: 'sb-field' }, [label(h('span'), 'email'), emailInput]),
  ]);
  fields.style.cssText = 'display:grid;gap:8px';
  const form = h(
    'form',
    {
      class: 'sb-contact',
      id: 'sb-contact',
      novalidate: true,
      hidden: true,
      'data-testid': 'sb-contact-form',
    },
    [label(h('p'), 'contactIntro'), fields, contactError, submit, contactOk],
  );

  function show(visible: boolean, focus: boolean): void {
    form.hidden = !visible;
    toggle.setAttribute('aria-expanded', String(visible));
    if (visible && focus) (savedEmail ? submit : nameInput).focus();
  }

  toggle.addEventListener('click', () => show(form.hidden, true));

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const check = checkContact(nameInput.value, emailInput.value);
    contactOk.hidden = true;
    if (!check.ok) {
      contactError.textContent = lang.t('invalidEmail');
      contactError.hidden = false;
      emailInput.setAttribute('aria-invalid', 'true');
      emailInput.focus();
      return;
    }
    contactError.hidden = true;
    emailInput.removeAttribute('aria-invalid');
    submit.disabled = true;
    sendContact(check.contact, (error) => {
      submit.disabled = false;
      if (error) {
        contactError.textContent = errorText(error, lang.t);
        contactError.hidden = false;
        return;
      }
      savedEmail = check.contact.email;
      contactOk.textContent = lang.t('contactSaved', { email: savedEmail });
      contactOk.hidden = false;
    });
  });
  emailInput.addEventListener('input', () => {
    emailInput.removeAttribute('aria-invalid');
    contactError.hidden = true;
  });

  return {
    form,
    show,
    /** Whether the visitor already left an address, so the form need not be offered again. */
    get saved(): boolean {
      return savedEmail !== null;
    },
    localise(): void {
      if (savedEmail) contactOk.textContent = lang.t('contactSaved', { email: savedEmail });
      contactError.textContent = lang.t('invalidEmail');
    },
  };
}
