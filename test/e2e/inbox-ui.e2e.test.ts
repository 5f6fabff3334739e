// The agents' inbox end to end: the real server process, the built app, headless Debian
// Chromium driven by playwright-core, and a visitor on the demo page's web-chat widget.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../helpers/build';
import { createTestStorage } from '../helpers/database';
import type { TestStorage } from '../helpers/database';
import { ADMIN, login, newVisitorWrites, spawnServer } from '../helpers/server';
import type { Api, ServerProcess } from '../helpers/server';
import { appendMessage, createMailUser } from '../helpers/mail/dovecot';
import { loadEmailFixture } from '../helpers/mail/fixtures';
import { startSmtpSink } from '../helpers/mail/smtp-sink';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = join(root, 'docs/screenshots');
const VIEWPORT = { width: 1280, height: 800 };

interface ConversationDto {
  id: string;
  contact: { id: string; name: string };
}

let storage: TestStorage;
let server: ServerProcess;
let browser: Browser;
let admin: Api;
let agentContext: BrowserContext;
let agent: Page;
let sara: ConversationDto;

/** Seeds a few realistic conversations so the inbox (and its screenshots) look like real work. */
async function seed(url: string): Promise<void> {
  const people = [
    { name: 'Liam Walsh', text: 'Thanks, that fixed it!' },
    { name: 'Emma Clarke', text: 'Hi! Can I change the delivery address for my order #1051?' },
    {
      name: 'Олег Смирнов',
      text: 'Здравствуйте! Мне пришёл не тот размер, хочу оформить возврат.',
    },
    {
      name: 'Daniel Kim',
      text: 'The payment went through twice. Please refund one of them today.',
    },
    { name: 'Maryam Hosseini', text: 'کد تخفیف روی سبد خرید اعمال نمی‌شود.' },
    { name: 'Sara Ahmadi', text: 'سلام، سفارش ۱۰۴۲ من هنوز نرسیده. کی می‌رسد؟' },
  ];
  const byName = new Map<string, ConversationDto>();
  for (const person of people) {
    const conversationId = await newVisitorWrites(url, person.text);
    const conv = await admin.get<ConversationDto>(`/api/v1/conversations/${conversationId}`);
    await admin.send('PATCH', `/api/v1/contacts/${conv.body.contact.id}`, { name: person.name });
    byName.set(person.name, { id: conversationId, contact: conv.body.contact });
  }
  const me = await admin.get<{ user: { id: string } }>('/api/v1/auth/me');
  const billing = await admin.send<{ id: string }>('POST', '/api/v1/teams', { name: 'Billing' });
  await admin.send('POST', '/api/v1/teams', { name: 'Support' });
  await admin.send('POST', '/api/v1/canned-responses', {
    shortCode: 'thanks',
    content: 'Thank you {{contact.first_name}}, happy to help!',
  });

  const conv = (name: string): ConversationDto => {
    const c = byName.get(name);
    if (!c) throw new Error(`no conversation for ${name}`);
    return c;
  };
  sara = conv('Sara Ahmadi');
  await admin.send('PATCH', `/api/v1/contacts/${sara.contact.id}`, {
    language: 'fa',
    preferredChannel: 'sms',
    birthday: '1992-06-14',
    tier: 'gold',
    notes: 'Prefers a text message when an order ships.',
    customAttributes: { city: 'Shiraz', plan: 'Pro' },
  });
  await admin.send('PATCH', `/api/v1/conversations/${sara.id}`, {
    assigneeId: me.body.user.id,
    priority: 'high',
    labels: ['shipping'],
  });
  await admin.send('POST', `/api/v1/conversations/${sara.id}/messages`, {
    text: 'سلام سارا، بسته امروز از انبار ارسال شد و فردا به دستتان می‌رسد.',
  });
  await admin.send('POST', `/api/v1/conversations/${sara.id}/messages`, {
    text: 'Courier confirmed pickup at 14:10; tracking number sent by SMS.',
    private: true,
  });

  const daniel = conv('Daniel Kim');
  await admin.send('PATCH', `/api/v1/conversations/${daniel.id}`, {
    priority: 'urgent',
    labels: ['billing'],
    teamId: billing.body.id,
  });
  await admin.send('POST', `/api/v1/conversations/${daniel.id}/escalate`, {
    reason: 'Charged twice; customer mentions a bank dispute.',
    level: 2,
  });
  await admin.send('PATCH', `/api/v1/conversations/${conv('Emma Clarke').id}`, {
    labels: ['shipping'],
  });
  await admin.send('PATCH', `/api/v1/conversations/${conv('Олег Смирнов').id}`, {
    priority: 'medium',
    labels: ['returns'],
  });
  await admin.send('PATCH', `/api/v1/conversations/${conv('Liam Walsh').id}`, {
    status: 'resolved',
  });
}

async function signIn(page: Page, url: string): Promise<void> {
  await page.goto(`${url}/#/inbox/all`);
  await page.getByTestId('login-email').fill(ADMIN.email);
  await page.getByTestId('login-password').fill(ADMIN.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('conversation-list').waitFor();
}

async function openWidget(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${url}/demo`);
  await page.getByTestId('sb-launcher').click();
  await page.getByTestId('sb-input').waitFor();
  return page;
}

async function visitorSays(widget: Page, text: string): Promise<void> {
  await widget.getByTestId('sb-input').fill(text);
  await widget.getByTestId('sb-send').click();
}

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(`inbox-ui e2e skipped: ${CHROMIUM} is missing (apt-get install chromium)`);

describe.skipIf(!hasChromium)('agent inbox in a browser', () => {
  beforeAll(async () => {
    // The server serves dist/inbox-ui; build it from the sources under test.
    await ensureBuilt();
    storage = await createTestStorage();
    server = await spawnServer(storage);
    admin = await login(server.url);
    await seed(server.url);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    });
    agentContext = await browser.newContext({ viewport: VIEWPORT, locale: 'en-US' });
    agent = await agentContext.newPage();
    await signIn(agent, server.url);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    const code = await server?.stop();
    if (code !== 0 && code !== null) console.warn(server.output());
    await storage?.cleanup();
  });

  it('shows a visitor live in the list and thread, delivers the reply, keeps notes private', async () => {
    const visitorContext = await browser.newContext({ viewport: { width: 420, height: 760 } });
    try {
      // A marker on window proves nothing below reloads the page.
      await agent.evaluate(() => Object.assign(window, { __noReload: true }));
      const listed = await admin.get<{ items: unknown[] }>(
        '/api/v1/conversations?view=all&status=bot,open,pending,snoozed&limit=100',
      );
      const before = listed.body.items.length;
      await expect
        .poll(() => agent.getByTestId('conversation-row').count(), { timeout: 15_000 })
        .toBe(before);
      // The sidebar's counts follow the same events as the list (issue 14).
      const unassignedCount = agent
        .locator('.nav__link', { hasText: 'Unassigned' })
        .locator('.nav__count');
      const counts = await admin.get<{ unassigned: number }>('/api/v1/conversations/counts');
      await expect
        .poll(() => unassignedCount.textContent(), { timeout: 15_000 })
        .toBe(String(counts.body.unassigned));

      const widget = await openWidget(visitorContext, server.url);
      const first = 'Hello! Is my parcel 7731 on its way?';
      await visitorSays(widget, first);

      const row = agent.getByTestId('conversation-row').filter({ hasText: first });
      await row.waitFor({ timeout: 15_000 });
      await expect
        .poll(() => agent.getByTestId('conversation-row').count(), { timeout: 15_000 })
        .toBe(before + 1);
      await expect
        .poll(() => unassignedCount.textContent(), { timeout: 15_000 })
        .toBe(String(counts.body.unassigned + 1));
      const id = await row.getAttribute('data-id');
      expect(id).toBeTruthy();

      await row.click();
      const thread = agent.getByTestId('thread');
      await thread.getByTestId('message').filter({ hasText: first }).waitFor();

      // The conversation is open: the next message arrives in the thread without a reload.
      const second = 'It was due yesterday.';
      await visitorSays(widget, second);
      await thread.getByTestId('message').filter({ hasText: second }).waitFor({ timeout: 15_000 });
      await expect(
        agent.getByTestId('conversation-row').filter({ hasText: second }).count(),
      ).resolves.toBe(1);

      // Reply: Enter sends, and the visitor's widget shows it.
      const reply = 'It is with the courier and arrives tomorrow morning.';
      await agent.getByTestId('composer-input').fill(reply);
      await agent.getByTestId('composer-input').press('Enter');
      await widget
        .locator('[data-testid="sb-message"][data-direction="out"]', { hasText: reply })
        .waitFor({ timeout: 15_000 });

      // A private note is marked as such for agents and never reaches the visitor.
      const note = 'Internal: courier is late on this route all week.';
      await agent.getByTestId('composer-mode-note').click();
      await agent.getByTestId('composer-input').fill(note);
      await agent.getByTestId('composer-input').press('Enter');
      const noteBubble = thread.locator('[data-testid="message"][data-private="true"]', {
        hasText: note,
      });
      await noteBubble.waitFor();
      await expect(noteBubble.getAttribute('class')).resolves.toContain('msg--private');

      // A reply sent after the note arrives; the note did not come before it.
      await agent.getByTestId('composer-mode-reply').click();
      const after = 'Anything else I can help with?';
      await agent.getByTestId('composer-input').fill(after);
      await agent.getByTestId('composer-send').click();
      await widget
        .locator('[data-testid="sb-message"]', { hasText: after })
        .waitFor({ timeout: 15_000 });
      await expect(
        widget.locator('[data-testid="sb-message"]', { hasText: note }).count(),
      ).resolves.toBe(0);

      // Not in the replayed history either.
      await widget.reload();
      await widget.getByTestId('sb-launcher').click();
      await widget
        .locator('[data-testid="sb-message"]', { hasText: after })
        .waitFor({ timeout: 15_000 });
      await expect(
        widget.locator('[data-testid="sb-message"]', { hasText: note }).count(),
      ).resolves.toBe(0);

      await expect(
        agent.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload),
      ).resolves.toBe(true);
    } finally {
      await visitorContext.close();
    }
  }, 120_000);

  it('screenshots the inbox in English, then switches to Persian: right-to-left, kept per agent', async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await agent.setViewportSize(VIEWPORT);
    await agent.goto(`${server.url}/#/inbox/all/c/${sara.id}`);
    await agent
      .getByTestId('thread')
      .getByTestId('message')
      .filter({ hasText: 'سفارش ۱۰۴۲' })
      .waitFor();
    await agent.locator('.contact__title', { hasText: 'Sara Ahmadi' }).waitFor();
    await agent.locator('.history__item').first().waitFor();
    await agent.mouse.move(0, 0);
    await agent.screenshot({ path: join(SCREENSHOTS, 'inbox-en.png') });
    expect(await agent.evaluate(() => document.documentElement.dir)).toBe('ltr');

    await agent.getByTestId('locale-select').selectOption('fa');
    await agent.waitForFunction(() => document.documentElement.dir === 'rtl');
    expect(await agent.evaluate(() => document.documentElement.lang)).toBe('fa');
    // Persian digits in the counts, and the choice saved on the server for this agent.
    await expect(agent.locator('.nav__count').first().textContent()).resolves.toMatch(/^[۰-۹]+$/);
    await expect
      .poll(
        () =>
          agent.evaluate(
            async () =>
              ((await (await fetch('/api/v1/auth/me')).json()) as { user: { locale: string } }).user
                .locale,
          ),
        { timeout: 10_000 },
      )
      .toBe('fa');

    await agent.reload();
    await agent
      .getByTestId('thread')
      .getByTestId('message')
      .filter({ hasText: 'سفارش ۱۰۴۲' })
      .waitFor();
    await agent.locator('.history__item').first().waitFor();
    expect(await agent.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await agent.mouse.move(0, 0);
    await agent.screenshot({ path: join(SCREENSHOTS, 'inbox-fa.png') });

    await agent.getByTestId('locale-select').selectOption('en');
    await agent.waitForFunction(() => document.documentElement.dir === 'ltr');
  }, 60_000);

  it('never runs markup a customer sends', async () => {
    const visitorContext = await browser.newContext();
    try {
      const widget = await openWidget(visitorContext, server.url);
      const hostile = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script> hi';
      await visitorSays(widget, hostile);

      await agent.goto(`${server.url}/#/inbox/all`);
      const row = agent
        .getByTestId('conversation-row')
        .filter({ hasText: '<script>window.__xss=2</script>' });
      await row.waitFor({ timeout: 15_000 });
      await row.click();
      const bubble = agent
        .getByTestId('thread')
        .getByTestId('message')
        .filter({ hasText: '<img src=x' });
      await bubble.waitFor();

      expect(await bubble.locator('.msg__text').textContent()).toBe(hostile);
      expect(
        await agent
          .locator('[data-testid="thread"] img[src="x"], [data-testid="thread"] script')
          .count(),
      ).toBe(0);
      await agent.waitForTimeout(300);
      expect(
        await agent.evaluate(() => (window as unknown as { __xss?: number }).__xss),
      ).toBeUndefined();
    } finally {
      await visitorContext.close();
    }
  }, 60_000);

  it('sanitises email HTML in the real browser before it enters the sandboxed frame', async () => {
    // Bundle the sanitiser on its own and run it in the page, with the browser's DOMParser.
    const { build } = await import('esbuild');
    const out = await build({
      entryPoints: [join(root, 'inbox-ui/src/lib/emailHtml.ts')],
      bundle: true,
      write: false,
      format: 'iife',
      globalName: 'EmailHtml',
    });
    const page = await browser.newPage();
    try {
      // about:blank: no page CSP in the way, and nothing is fetched.
      await page.setContent('<!doctype html><title>sanitiser</title>');
      await page.addScriptTag({ content: out.outputFiles[0]?.text ?? '' });
      const result = await page.evaluate(() => {
        const lib = (
          window as unknown as {
            EmailHtml: {
              sanitizeEmail: (h: string, a: boolean) => { doc: string; blocked: number };
            };
          }
        ).EmailHtml;
        const html =
          '<html><head><meta http-equiv="refresh" content="0;url=https://evil.example"><style>p{color:red}</style></head>' +
          '<body><p onclick="steal()">Hi <a href="javascript:steal()">link</a> <a href="https://shop.example/o/1">order</a></p>' +
          '<img src="https://tracker.example/pixel.gif" onerror="steal()"><script>steal()</script>' +
          '<form action="https://evil.example"><input name="card"></form><iframe src="https://evil.example"></iframe></body></html>';
        return { blocked: lib.sanitizeEmail(html, false), allowed: lib.sanitizeEmail(html, true) };
      });
      const doc = result.blocked.doc;
      expect(doc).not.toMatch(
        /<script|onclick|onerror|javascript:|<iframe|<form|http-equiv="refresh"|tracker\.example/i,
      );
      expect(doc).toContain('https://shop.example/o/1');
      expect(doc).toContain('p{color:red}');
      expect(doc).toContain(
        `content="default-src 'none'; img-src data: ; style-src 'unsafe-inline'"`,
      );
      expect(result.blocked.blocked).toBe(1);
      expect(result.allowed.doc).toContain('https://tracker.example/pixel.gif');
      expect(result.allowed.doc).not.toContain('onerror');
    } finally {
      await page.close();
    }
  }, 60_000);
  it('shows an e-mail thread: subject, From/To/CC, the new part and the quote behind a toggle', async () => {
    const [mailbox, sink] = await Promise.all([createMailUser(), startSmtpSink()]);
    try {
      const inbox = await admin.send<{ id: string }>('POST', '/api/v1/inboxes', {
        name: 'Support mail',
        channel: 'email',
        settings: {
          imapUrl: mailbox.imapUrl,
          smtpUrl: sink.smtpUrl,
          from: 'Acme Support <support@example.com>',
          signature: 'Acme Support · acme.example',
        },
      });
      expect(inbox.status).toBe(201);
      const first = [
        'From: Alice Martin <alice.martin@example.org>',
        'To: Acme Support <support@example.com>',
        'Cc: Bob Martin <bob.martin@example.org>',
        'Subject: Your order #4521',
        `Date: ${new Date().toUTCString()}`,
        'Message-ID: <first-4521@mail.gmail.example.com>',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Hello, my order #4521 has not arrived yet. Can you check where it is?',
        '',
      ].join('\r\n');
      await appendMessage(mailbox.imapUrl, first);
      const emailConversation = async () =>
        (
          await admin.get<{ items: { id: string }[] }>(
            '/api/v1/conversations?channel=email&limit=5',
          )
        ).body.items[0]?.id;
      await expect.poll(emailConversation, { timeout: 20_000 }).toBeTruthy();
      const conversationId = (await emailConversation())!;
      await admin.send('POST', `/api/v1/conversations/${conversationId}/messages`, {
        text: 'Hello Alice, your order #4521 left our warehouse today. The tracking number is ZX-4521-0099.',
        email: { replyAll: true },
      });
      const sent = await sink.waitFor((m) => (m.text ?? '').includes('ZX-4521-0099'), 20_000);
      expect(sent.envelope.to.sort()).toEqual([
        'alice.martin@example.org',
        'bob.martin@example.org',
      ]);
      await appendMessage(
        mailbox.imapUrl,
        loadEmailFixture('reply-gmail.eml', { originalMessageId: sent.messageId! }),
      );

      await agent.setViewportSize(VIEWPORT);
      await agent.goto(`${server.url}/#/inbox/all/c/${conversationId}`);
      const found = agent
        .getByTestId('thread')
        .getByTestId('message')
        .filter({ hasText: 'Could you check what happened?' });
      await found.waitFor({ timeout: 30_000 });
      // Known by its id from here on: its text changes when the quote is shown.
      const reply = agent.locator(
        `[data-testid="message"][data-id="${await found.getAttribute('data-id')}"]`,
      );
      const headers = reply.getByTestId('email-headers');
      await expect(headers.textContent()).resolves.toContain('Re: Your order #4521');
      await expect(headers.textContent()).resolves.toContain(
        'Alice Martin <alice.martin@example.org>',
      );
      // The new part only, until the agent asks for the quote.
      expect(await reply.locator('iframe').count()).toBe(0);
      await reply.getByTestId('email-show-quoted').click();
      await reply.locator('iframe.email-body__frame').waitFor();
      const quoted = await reply.locator('iframe.email-body__frame').getAttribute('srcdoc');
      expect(quoted).toContain('gmail_quote');
      expect(quoted).not.toMatch(/<script|onerror|onload/i);
      // The thread without the contact panel, so the e-mail has its width.
      await agent.locator('body').press('i');
      await agent.locator('.conversation--with-contact').waitFor({ state: 'detached' });
      await agent.mouse.move(0, 0);
      await agent.screenshot({ path: join(SCREENSHOTS, 'email-thread.png') });
      await agent.locator('body').press('i');
    } finally {
      await sink.close();
    }
  }, 120_000);
});
