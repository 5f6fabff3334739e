import type { Entry } from './core';

// The texts of the bot's settings: its knowledge base, what it says per language, and "try the
// bot". Spread into en, fa and ru; i18n.test.ts checks them like every other key.

export const botEn = {
  'settings.bot': 'Bot',
  'bot.kb': 'Knowledge base',
  'bot.kbHint':
    'The bot answers a question that matches one of the ways of asking, in the customer’s language. One way of asking per line.',
  'bot.newEntry': 'New answer',
  'bot.questions': 'Ways of asking ({language})',
  'bot.answer': 'Answer ({language})',
  'bot.enabled': 'In use',
  'bot.texts': 'What the bot says',
  'bot.textsHint': 'Leave a text empty to use the shipped one. {name}-style words are filled in.',
  'bot.changed': 'changed',
  'bot.categories': 'Complaint categories',
  'bot.categoriesHint':
    'When a customer makes a complaint, the bot offers the active complaint categories, named in the customer’s language.',
  'bot.editCategories': 'Edit the categories',
  'bot.try': 'Try the bot',
  'bot.tryHint':
    'Talk to the bot as a customer would. Nothing is sent or stored: a complaint gets the reference PREVIEW.',
  'bot.tryPlaceholder': 'Write as a customer…',
  'bot.send': 'Send',
  'bot.restart': 'Start again',
  'bot.you': 'Customer',
  'bot.bot': 'Bot',
  'bot.handedOver': 'Here the conversation would go to a person ({reason}).',
  'bot.language': 'Language',
} as const satisfies Record<string, string | { one?: string; other: string }>;

type BotKey = keyof typeof botEn;

export const botFa: Record<BotKey, Entry> = {
  'settings.bot': 'ربات',
  'bot.kb': 'پایگاه دانش',
  'bot.kbHint':
    'ربات به سؤالی که با یکی از شکل‌های پرسش جور باشد، به زبان مشتری پاسخ می‌دهد. هر شکل پرسش در یک خط.',
  'bot.newEntry': 'پاسخ تازه',
  'bot.questions': 'شکل‌های پرسش ({language})',
  'bot.answer': 'پاسخ ({language})',
  'bot.enabled': 'فعال',
  'bot.texts': 'گفته‌های ربات',
  'bot.textsHint': 'متنی را خالی بگذارید تا متن پیش‌فرض به کار رود. واژه‌های {name} پر می‌شوند.',
  'bot.changed': 'تغییر یافته',
  'bot.categories': 'دسته‌های شکایت',
  'bot.categoriesHint':
    'وقتی مشتری شکایتی ثبت می‌کند، ربات دسته‌های فعال شکایت را به زبان خود مشتری پیشنهاد می‌دهد.',
  'bot.editCategories': 'ویرایش دسته‌ها',
  'bot.try': 'آزمودن ربات',
  'bot.tryHint':
    'مثل یک مشتری با ربات گفتگو کنید. چیزی فرستاده یا ذخیره نمی‌شود: شکایت شماره پیگیری PREVIEW می‌گیرد.',
  'bot.tryPlaceholder': 'مثل یک مشتری بنویسید…',
  'bot.send': 'ارسال',
  'bot.restart': 'شروع دوباره',
  'bot.you': 'مشتری',
  'bot.bot': 'ربات',
  'bot.handedOver': 'اینجا گفتگو به یک کارشناس سپرده می‌شد ({reason}).',
  'bot.language': 'زبان',
};

export const botRu: Record<BotKey, Entry> = {
  'settings.bot': 'Бот',
  'bot.kb': 'База знаний',
  'bot.kbHint':
    'Бот отвечает на вопрос, похожий на одну из формулировок, на языке клиента. Одна формулировка в строке.',
  'bot.newEntry': 'Новый ответ',
  'bot.questions': 'Формулировки ({language})',
  'bot.answer': 'Ответ ({language})',
  'bot.enabled': 'Используется',
  'bot.texts': 'Что говорит бот',
  'bot.textsHint':
    'Оставьте текст пустым, чтобы вернуть исходный. Слова вида {name} подставляются.',
  'bot.changed': 'изменён',
  'bot.categories': 'Категории жалоб',
  'bot.categoriesHint':
    'Когда клиент оставляет жалобу, бот предлагает активные категории жалоб на языке клиента.',
  'bot.editCategories': 'Изменить категории',
  'bot.try': 'Проверить бота',
  'bot.tryHint':
    'Поговорите с ботом как клиент. Ничего не отправляется и не сохраняется: жалоба получает номер PREVIEW.',
  'bot.tryPlaceholder': 'Напишите как клиент…',
  'bot.send': 'Отправить',
  'bot.restart': 'Начать заново',
  'bot.you': 'Клиент',
  'bot.bot': 'Бот',
  'bot.handedOver': 'Здесь разговор перешёл бы к сотруднику ({reason}).',
  'bot.language': 'Язык',
};
