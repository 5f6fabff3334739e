import type { BotLanguage } from '../db/schema';

/**
 * Everything the bot says, in each language. Admins change any text per language (bot_texts);
 * `{name}`-style placeholders are filled at the turn.
 */
export const BOT_TEXT_KEYS = [
  'askLanguage',
  'greeting',
  'greetingNamed',
  'menuPrompt',
  'menuQuestion',
  'menuOrder',
  'menuComplaint',
  'menuAgent',
  'askQuestion',
  'noAnswer',
  'notUnderstood',
  'askOrderNumber',
  'orderFound',
  'orderNotFound',
  'askCategory',
  'askDescription',
  'askOrderOptional',
  'skip',
  'askDesiredOutcome',
  'confirmComplaint',
  'yes',
  'no',
  'complaintCancelled',
  'complaintCreated',
  'complaintCreatedSoon',
  'complaintCreatedClosed',
  'handoverOpen',
  'handoverClosed',
  'handoverLeaveDetails',
  'emptyMessage',
  'tooLong',
] as const;

export type BotTextKey = (typeof BOT_TEXT_KEYS)[number];
export type BotTexts = Record<BotTextKey, string>;

export const DEFAULT_BOT_TEXTS: Record<BotLanguage, BotTexts> = {
  en: {
    askLanguage: 'Which language would you like? / به چه زبانی؟ / На каком языке?',
    greeting: 'Hello! I am the virtual assistant.',
    greetingNamed: 'Hello, {name}! I am the virtual assistant.',
    menuPrompt: 'How can I help?',
    menuQuestion: 'Ask a question',
    menuOrder: 'Order status',
    menuComplaint: 'Make a complaint',
    menuAgent: 'Talk to a person',
    askQuestion: 'What would you like to know?',
    noAnswer: 'I do not have an answer to that yet.',
    notUnderstood: 'Sorry, I did not understand. Please choose one of the options.',
    askOrderNumber: 'What is your order number?',
    orderFound: 'Order {order} was placed on {date} for {amount}.',
    orderNotFound: 'I cannot find order {order} among your orders. Please check the number.',
    askCategory: 'What is your complaint about?',
    askDescription: 'Please describe what happened.',
    askOrderOptional: 'Which order is it about? Send the order number, or skip.',
    skip: 'Skip',
    askDesiredOutcome: 'What would make it right for you?',
    confirmComplaint:
      'I will register this complaint:\nCategory: {category}\nWhat happened: {description}\nOrder: {order}\nWhat would make it right: {outcome}\nShall I send it?',
    yes: 'Yes',
    no: 'No',
    complaintCancelled: 'All right, I have not registered anything.',
    complaintCreated:
      'Your complaint is registered. Reference: {reference}. A person will answer by {due}.',
    complaintCreatedSoon:
      'Your complaint is registered. Reference: {reference}. A person will answer shortly.',
    complaintCreatedClosed:
      'Your complaint is registered. Reference: {reference}. We are closed now; a person will answer from {opens}.',
    handoverOpen: 'I am passing you to a person. Someone will answer shortly.',
    handoverClosed: 'I am passing you to a person. We are closed now; people answer from {opens}.',
    handoverLeaveDetails: 'You can leave details here and they will see them.',
    emptyMessage: 'I only read text. Please write your message in words.',
    tooLong: 'That is a long message; I read the first part.',
  },
  fa: {
    askLanguage: 'Which language would you like? / به چه زبانی؟ / На каком языке?',
    greeting: 'سلام! من دستیار مجازی هستم.',
    greetingNamed: 'سلام {name}! من دستیار مجازی هستم.',
    menuPrompt: 'چطور می‌توانم کمک کنم؟',
    menuQuestion: 'پرسیدن سؤال',
    menuOrder: 'وضعیت سفارش',
    menuComplaint: 'ثبت شکایت',
    menuAgent: 'گفتگو با کارشناس',
    askQuestion: 'چه چیزی می‌خواهید بدانید؟',
    noAnswer: 'هنوز پاسخی برای این سؤال ندارم.',
    notUnderstood: 'متأسفم، متوجه نشدم. لطفاً یکی از گزینه‌ها را انتخاب کنید.',
    askOrderNumber: 'شماره سفارش شما چیست؟',
    orderFound: 'سفارش {order} در تاریخ {date} به مبلغ {amount} ثبت شده است.',
    orderNotFound: 'سفارش {order} را در سفارش‌های شما پیدا نکردم. لطفاً شماره را بررسی کنید.',
    askCategory: 'شکایت شما درباره چیست؟',
    askDescription: 'لطفاً توضیح دهید چه اتفاقی افتاد.',
    askOrderOptional: 'مربوط به کدام سفارش است؟ شماره سفارش را بفرستید یا رد شوید.',
    skip: 'رد شدن',
    askDesiredOutcome: 'چه چیزی مشکل را برای شما حل می‌کند؟',
    confirmComplaint:
      'این شکایت را ثبت می‌کنم:\nموضوع: {category}\nشرح: {description}\nسفارش: {order}\nخواسته: {outcome}\nارسال شود؟',
    yes: 'بله',
    no: 'خیر',
    complaintCancelled: 'باشه، چیزی ثبت نکردم.',
    complaintCreated:
      'شکایت شما ثبت شد. شماره پیگیری: {reference}. تا {due} یک کارشناس پاسخ می‌دهد.',
    complaintCreatedSoon:
      'شکایت شما ثبت شد. شماره پیگیری: {reference}. به‌زودی یک کارشناس پاسخ می‌دهد.',
    complaintCreatedClosed:
      'شکایت شما ثبت شد. شماره پیگیری: {reference}. الان تعطیل هستیم؛ از {opens} یک کارشناس پاسخ می‌دهد.',
    handoverOpen: 'شما را به یک کارشناس وصل می‌کنم. به‌زودی پاسخ می‌دهند.',
    handoverClosed: 'شما را به یک کارشناس وصل می‌کنم. الان تعطیل هستیم؛ از {opens} پاسخ می‌دهیم.',
    handoverLeaveDetails: 'می‌توانید جزئیات را همین‌جا بنویسید تا ببینند.',
    emptyMessage: 'من فقط متن را می‌خوانم. لطفاً پیامتان را بنویسید.',
    tooLong: 'پیام طولانی است؛ بخش اول آن را خواندم.',
  },
  ru: {
    askLanguage: 'Which language would you like? / به چه زبانی؟ / На каком языке?',
    greeting: 'Здравствуйте! Я виртуальный помощник.',
    greetingNamed: 'Здравствуйте, {name}! Я виртуальный помощник.',
    menuPrompt: 'Чем могу помочь?',
    menuQuestion: 'Задать вопрос',
    menuOrder: 'Статус заказа',
    menuComplaint: 'Оставить жалобу',
    menuAgent: 'Связаться с человеком',
    askQuestion: 'Что вы хотите узнать?',
    noAnswer: 'На этот вопрос у меня пока нет ответа.',
    notUnderstood: 'Извините, я не понял. Пожалуйста, выберите один из вариантов.',
    askOrderNumber: 'Какой номер вашего заказа?',
    orderFound: 'Заказ {order} оформлен {date} на сумму {amount}.',
    orderNotFound: 'Я не нашёл заказ {order} среди ваших заказов. Проверьте номер.',
    askCategory: 'На что вы жалуетесь?',
    askDescription: 'Пожалуйста, опишите, что произошло.',
    askOrderOptional: 'К какому заказу это относится? Пришлите номер заказа или пропустите.',
    skip: 'Пропустить',
    askDesiredOutcome: 'Что бы вас устроило?',
    confirmComplaint:
      'Я зарегистрирую жалобу:\nТема: {category}\nЧто случилось: {description}\nЗаказ: {order}\nЧто бы вас устроило: {outcome}\nОтправить?',
    yes: 'Да',
    no: 'Нет',
    complaintCancelled: 'Хорошо, я ничего не зарегистрировал.',
    complaintCreated:
      'Ваша жалоба зарегистрирована. Номер: {reference}. Сотрудник ответит до {due}.',
    complaintCreatedSoon:
      'Ваша жалоба зарегистрирована. Номер: {reference}. Сотрудник скоро ответит.',
    complaintCreatedClosed:
      'Ваша жалоба зарегистрирована. Номер: {reference}. Сейчас мы закрыты; сотрудник ответит с {opens}.',
    handoverOpen: 'Передаю вас сотруднику. Вам скоро ответят.',
    handoverClosed: 'Передаю вас сотруднику. Сейчас мы закрыты; ответим с {opens}.',
    handoverLeaveDetails: 'Можете оставить подробности здесь, их увидят.',
    emptyMessage: 'Я понимаю только текст. Пожалуйста, напишите сообщение словами.',
    tooLong: 'Сообщение длинное; я прочитал его начало.',
  },
};

/** `{name}` → value; a placeholder without a value stays visible rather than vanishing. */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}

/** The shipped texts with an admin's changes over them. */
export function mergeTexts(
  language: BotLanguage,
  overrides: Partial<Record<string, string>>,
): BotTexts {
  const out = { ...DEFAULT_BOT_TEXTS[language] };
  for (const key of BOT_TEXT_KEYS) {
    const text = overrides[key];
    if (typeof text === 'string' && text.trim()) out[key] = text;
  }
  return out;
}

export function isBotTextKey(key: string): key is BotTextKey {
  return (BOT_TEXT_KEYS as readonly string[]).includes(key);
}
