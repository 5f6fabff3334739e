/** What the customer reads around the satisfaction question, in their language. */
export type Lang = 'en' | 'fa' | 'ru';

export const langOf = (language: string | null | undefined): Lang =>
  language === 'fa' || language === 'ru' ? language : 'en';

export const CONFIRMATION_TEXTS: Record<
  Lang,
  {
    question: string;
    yes: string;
    no: string;
    rate: string;
    thanks: string;
    sorry: (reference: string | null) => string;
  }
> = {
  en: {
    question:
      'We have marked your request as resolved. Is your problem solved? You can also rate our help from 1 (poor) to 5 (excellent).',
    yes: 'Yes, solved',
    no: 'No, not solved',
    rate: 'Thank you! How would you rate our help, from 1 (poor) to 5 (excellent)?',
    thanks: 'Thank you for your feedback.',
    sorry: (ref) =>
      `We are sorry it is not solved. We have reopened it and passed it to a supervisor${ref ? ` (reference ${ref})` : ''}.`,
  },
  fa: {
    question:
      'درخواست شما به عنوان حل‌شده ثبت شد. آیا مشکل شما حل شده است؟ می‌توانید به کمک ما از ۱ (ضعیف) تا ۵ (عالی) امتیاز دهید.',
    yes: 'بله، حل شد',
    no: 'خیر، حل نشد',
    rate: 'سپاسگزاریم! به کمک ما از ۱ (ضعیف) تا ۵ (عالی) چه امتیازی می‌دهید؟',
    thanks: 'از نظر شما سپاسگزاریم.',
    sorry: (ref) =>
      `متأسفیم که مشکل حل نشده است. درخواست دوباره باز شد و به سرپرست ارجاع داده شد${ref ? ` (شماره پیگیری \u2066${ref}\u2069)` : ''}.`,
  },
  ru: {
    question:
      'Мы отметили ваше обращение как решённое. Ваша проблема решена? Вы также можете оценить нашу помощь от 1 (плохо) до 5 (отлично).',
    yes: 'Да, решено',
    no: 'Нет, не решено',
    rate: 'Спасибо! Как вы оцените нашу помощь — от 1 (плохо) до 5 (отлично)?',
    thanks: 'Спасибо за ваш отзыв.',
    sorry: (ref) =>
      `Нам жаль, что проблема не решена. Мы снова открыли обращение и передали его руководителю${ref ? ` (номер ${ref})` : ''}.`,
  },
};
