// Widget strings and locale resolution. Kept free of DOM access so it can be unit-tested in node.

export const LOCALES = ['en', 'fa', 'ru'] as const;
export type Locale = (typeof LOCALES)[number];

const en = {
  title: 'Chat with us',
  subtitle: 'We usually reply in a few minutes',
  openChat: 'Open chat',
  closeChat: 'Close chat',
  close: 'Close',
  messages: 'Messages',
  greeting: 'Hi there! How can we help you today?',
  placeholder: 'Type your message…',
  inputLabel: 'Your message',
  send: 'Send',
  sending: 'Sending…',
  failed: 'Not sent',
  retry: 'Retry',
  you: 'You',
  agent: 'Support',
  typing: 'Agent is typing…',
  connecting: 'Connecting…',
  offline: 'Offline',
  reconnecting: 'Connection lost. Reconnecting…',
  contactToggle: 'Get a reply by email',
  contactIntro: 'Leave your name and email and we will reply by email.',
  name: 'Name',
  email: 'Email',
  contactSubmit: 'Save',
  contactSaved: 'Thanks! We will reply to {email}.',
  invalidEmail: 'Please enter a valid email address.',
  tooLong: 'Messages can be at most {max} characters.',
  errorGeneric: 'Something went wrong. Please try again.',
  errorTimeout: 'The server did not answer. Please try again.',
  errorRateLimited: 'You are sending messages too quickly. Please wait a moment.',
  unread: 'Unread messages: {n}',
  poweredBy: 'Powered by Switchboard',
};

export type MessageKey = keyof typeof en;
export type Dictionary = Record<MessageKey, string>;

const fa: Dictionary = {
  title: 'گفت‌وگو با ما',
  subtitle: 'معمولاً ظرف چند دقیقه پاسخ می‌دهیم',
  openChat: 'باز کردن گفت‌وگو',
  closeChat: 'بستن گفت‌وگو',
  close: 'بستن',
  messages: 'پیام‌ها',
  greeting: 'سلام! امروز چطور می‌توانیم کمکتان کنیم؟',
  placeholder: 'پیام خود را بنویسید…',
  inputLabel: 'پیام شما',
  send: 'ارسال',
  sending: 'در حال ارسال…',
  failed: 'ارسال نشد',
  retry: 'تلاش دوباره',
  you: 'شما',
  agent: 'پشتیبانی',
  typing: 'پشتیبان در حال نوشتن است…',
  connecting: 'در حال اتصال…',
  offline: 'آفلاین',
  reconnecting: 'اتصال قطع شد. در حال اتصال دوباره…',
  contactToggle: 'دریافت پاسخ با ایمیل',
  contactIntro: 'نام و ایمیل خود را بگذارید تا پاسخ را به ایمیلتان بفرستیم.',
  name: 'نام',
  email: 'ایمیل',
  contactSubmit: 'ثبت',
  contactSaved: 'سپاس! پاسخ را به {email} می‌فرستیم.',
  invalidEmail: 'لطفاً یک نشانی ایمیل معتبر وارد کنید.',
  tooLong: 'پیام حداکثر می‌تواند {max} نویسه باشد.',
  errorGeneric: 'مشکلی پیش آمد. لطفاً دوباره تلاش کنید.',
  errorTimeout: 'سرور پاسخ نداد. لطفاً دوباره تلاش کنید.',
  errorRateLimited: 'پیام‌ها را خیلی سریع می‌فرستید. لطفاً کمی صبر کنید.',
  unread: 'پیام‌های خوانده‌نشده: {n}',
  poweredBy: 'قدرت‌گرفته از Switchboard',
};

const ru: Dictionary = {
  title: 'Напишите нам',
  subtitle: 'Обычно отвечаем в течение нескольких минут',
  openChat: 'Открыть чат',
  closeChat: 'Закрыть чат',
  close: 'Закрыть',
  messages: 'Сообщения',
  greeting: 'Здравствуйте! Чем мы можем помочь?',
  placeholder: 'Введите сообщение…',
  inputLabel: 'Ваше сообщение',
  send: 'Отправить',
  sending: 'Отправка…',
  failed: 'Не отправлено',
  retry: 'Повторить',
  you: 'Вы',
  agent: 'Поддержка',
  typing: 'Оператор печатает…',
  connecting: 'Подключение…',
  offline: 'Нет связи',
  reconnecting: 'Соединение потеряно. Переподключаемся…',
  contactToggle: 'Получить ответ по почте',
  contactIntro: 'Оставьте имя и адрес почты, и мы ответим вам письмом.',
  name: 'Имя',
  email: 'Эл. почта',
  contactSubmit: 'Сохранить',
  contactSaved: 'Спасибо! Мы ответим на {email}.',
  invalidEmail: 'Введите корректный адрес электронной почты.',
  tooLong: 'Сообщение не может быть длиннее {max} символов.',
  errorGeneric: 'Что-то пошло не так. Попробуйте ещё раз.',
  errorTimeout: 'Сервер не ответил. Попробуйте ещё раз.',
  errorRateLimited: 'Вы отправляете сообщения слишком часто. Подождите немного.',
  unread: 'Непрочитанные сообщения: {n}',
  poweredBy: 'Работает на Switchboard',
};

export const DICTIONARIES: Record<Locale, Dictionary> = { en, fa, ru };

/** Maps a tag such as `fa-IR`, `ru_RU` or `EN` to a supported locale, or null. */
export function normalizeLocale(tag: string | null | undefined): Locale | null {
  if (!tag) return null;
  const base = tag.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return (LOCALES as readonly string[]).includes(base) ? (base as Locale) : null;
}

export interface LocaleSources {
  /** `data-locale` on the script tag. */
  attribute?: string | null;
  /** The host page's `location.search`, for `?lang=`. */
  search?: string;
  /** `navigator.language`. */
  browser?: string | null;
}

/** Precedence: explicit embed attribute, then the page URL, then the browser, then English. */
export function resolveLocale(sources: LocaleSources): Locale {
  let fromQuery: string | null = null;
  try {
    fromQuery = new URLSearchParams(sources.search ?? '').get('lang');
  } catch {
    fromQuery = null;
  }
  return (
    normalizeLocale(sources.attribute) ??
    normalizeLocale(fromQuery) ??
    normalizeLocale(sources.browser) ??
    'en'
  );
}

export function isRtl(locale: Locale): boolean {
  return locale === 'fa';
}

/** BCP 47 tag for Intl: `fa-IR` makes Intl render Persian digits. */
export function intlTag(locale: Locale): string {
  return locale === 'fa' ? 'fa-IR' : locale === 'ru' ? 'ru-RU' : 'en-US';
}

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** The widget's current language: one object, shared by its parts and changed in place. */
export interface Lang {
  locale: Locale;
  t: Translate;
}

export function translator(locale: Locale): Translate {
  const dict = DICTIONARIES[locale];
  const numbers = new Intl.NumberFormat(intlTag(locale));
  return (key, vars) =>
    dict[key].replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = vars?.[name];
      if (value === undefined) return whole;
      return typeof value === 'number' ? numbers.format(value) : value;
    });
}

/**
 * Message time: only hour and minute for today, the date as well for older messages so a
 * replayed history still makes sense the next day.
 */
export function formatTime(iso: string, locale: Locale, now: Date = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const sameDay = date.toDateString() === now.toDateString();
  const options: Intl.DateTimeFormatOptions = sameDay
    ? { hour: '2-digit', minute: '2-digit' }
    : { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' };
  return new Intl.DateTimeFormat(intlTag(locale), options).format(date);
}
