import { describe, expect, it } from 'vitest';
import type { InboundMessage, ParsedEvent } from '../types';
import { twilioFixture, type TwilioFixtureName } from '../../test/helpers/fakes/fixtures';
import { findAll, outline, parseTwiml, queryOf, type TwimlNode } from '../../test/helpers/twiml';
import {
  callOutcome,
  choiceOf,
  formatDuration,
  planCallStatus,
  planVoice,
  type CallFacts,
  type IvrSetup,
} from './ivr';
import { DEFAULT_PROMPTS, type PromptSettings } from './prompts';
import { noTranscriber, twilioTranscriber } from './transcriber';

const INBOX = '11111111-2222-4333-8444-555555555555';
const CALL = 'CA257c939a4da675b1f63415bd674fbd7a';
const RECORDING_ID = '99999999-8888-4777-8666-555555555555';

function setup(extra: Partial<IvrSetup> = {}): IvrSetup {
  return {
    inboxId: INBOX,
    publicUrl: 'https://switchboard.example.com',
    number: '+15555550100',
    prompts: {},
    playUrl: (id) => `https://switchboard.example.com/media/${id}?exp=1&sig=s`,
    transcribers: [twilioTranscriber],
    missedCallSms: false,
    ringSeconds: 20,
    maxRecordSeconds: 120,
    ...extra,
  };
}

function facts(extra: Partial<CallFacts> = {}): CallFacts {
  return {
    now: new Date('2026-03-30T10:00:00Z'),
    open: true,
    opensAt: null,
    timeZone: 'Europe/Berlin',
    agents: [],
    history: [],
    ...extra,
  };
}

const gather = (params: Record<string, string>) => ({
  ...twilioFixture('voice-gather-digits'),
  Digits: '',
  ...params,
});

function plan(
  query: Record<string, string>,
  params: Record<string, string> = twilioFixture('voice-incoming-call'),
  s: Partial<IvrSetup> = {},
  f: Partial<CallFacts> = {},
) {
  const step = planVoice(params, query, setup(s), facts(f));
  return { ...step, xml: parseTwiml(step.twiml) };
}

const messages = (events: ParsedEvent[]): InboundMessage[] =>
  events.flatMap((e) => (e.type === 'message' ? [e.message] : []));

const says = (node: TwimlNode) =>
  findAll(node, 'Say').map((s) => ({
    voice: s.attrs['voice'],
    language: s.attrs['language'],
    text: s.text,
  }));

describe('a new call', () => {
  it('asks for a language when the profile does not know it, each line in its own voice', () => {
    const { xml, events } = plan({});
    expect(outline(xml)).toEqual(['Gather', 'Gather>Say', 'Gather>Say', 'Gather>Say']);
    const [g] = findAll(xml, 'Gather');
    expect(g!.attrs).toMatchObject({
      input: 'dtmf speech',
      numDigits: '1',
      actionOnEmptyResult: 'true',
    });
    expect(queryOf(g!.attrs['action'])).toEqual({
      step: 'lang',
      attempt: '1',
      caller: '+79161234567',
    });
    expect(g!.attrs['action']).toMatch(
      `https://switchboard.example.com/webhooks/twilio/${INBOX}/voice?`,
    );
    expect(says(xml)).toEqual([
      { voice: 'Polly.Joanna', language: 'en-US', text: 'For English, press 1.' },
      { voice: 'Polly.Tatyana', language: 'ru-RU', text: DEFAULT_PROMPTS.ru.languageMenu },
      // No Persian voice and no recording: the Persian line is said in English.
      { voice: 'Polly.Joanna', language: 'en-US', text: 'For Persian, press 3.' },
    ]);
    expect(messages(events)).toEqual([
      expect.objectContaining({
        kind: 'system',
        sender: { kind: 'phone', value: '+79161234567' },
        providerMessageId: `call:${CALL}:start`,
        text: 'Incoming call from +79161234567',
        channelRef: { callSid: CALL },
      }),
    ]);
  });

  it('plays an uploaded Persian recording in the language menu', () => {
    const prompts: PromptSettings = { fa: { recordings: { languageMenu: RECORDING_ID } } };
    const { xml } = plan({}, undefined, { prompts });
    expect(findAll(xml, 'Play').map((p) => p.text)).toEqual([
      `https://switchboard.example.com/media/${RECORDING_ID}?exp=1&sig=s`,
    ]);
  });

  it.each([
    ['en', 'Polly.Joanna', 'en-US', 'en-US', DEFAULT_PROMPTS.en.menu],
    ['ru', 'Polly.Tatyana', 'ru-RU', 'ru-RU', DEFAULT_PROMPTS.ru.menu],
    // Persian callers get a Persian speech recogniser, and English speech until a recording.
    ['fa', 'Polly.Joanna', 'en-US', 'fa-IR', DEFAULT_PROMPTS.en.menu],
  ] as const)(
    'greets a caller whose profile says %s in that language',
    (lang, voice, sayLang, speech, menu) => {
      const { xml } = plan({}, undefined, {}, { profileLanguage: lang });
      const [g] = findAll(xml, 'Gather');
      expect(g!.attrs['language']).toBe(speech);
      expect(queryOf(g!.attrs['action'])).toMatchObject({ step: 'menu', lang, attempt: '1' });
      expect(says(xml)).toEqual([
        { voice, language: sayLang, text: DEFAULT_PROMPTS[lang === 'fa' ? 'en' : lang].greeting },
        { voice, language: sayLang, text: menu },
      ]);
    },
  );

  it('uses the admin’s texts and Persian recordings where set', () => {
    const prompts: PromptSettings = {
      en: { greeting: 'Welcome to Acme.' },
      fa: { recordings: { greeting: RECORDING_ID, menu: RECORDING_ID } },
    };
    const en = plan({}, undefined, { prompts }, { profileLanguage: 'en' });
    expect(says(en.xml)[0]!.text).toBe('Welcome to Acme.');
    const fa = plan({}, undefined, { prompts }, { profileLanguage: 'fa' });
    expect(outline(fa.xml)).toEqual(['Gather', 'Gather>Play', 'Gather>Play']);
  });
});

describe('the language menu', () => {
  it.each([
    [{ Digits: '1' }, 'en'],
    [{ Digits: '2' }, 'ru'],
    [{ Digits: '3' }, 'fa'],
    [{ SpeechResult: 'Russian, please.' }, 'ru'],
    [{ SpeechResult: 'فارسی' }, 'fa'],
    [{ SpeechResult: 'English' }, 'en'],
  ])('%j → %s, remembered on the profile', (input, lang) => {
    const { xml, events } = plan({ step: 'lang', attempt: '1' }, gather(input));
    expect(queryOf(findAll(xml, 'Gather')[0]!.attrs['action'])).toMatchObject({
      step: 'menu',
      lang,
    });
    expect(messages(events)[0]).toMatchObject({
      kind: 'system',
      providerMessageId: `call:${CALL}:lang`,
      profile: { language: lang },
    });
  });

  it('asks again once, then goes on in English', () => {
    const first = plan({ step: 'lang', attempt: '1' }, gather({ Digits: '9' }));
    expect(first.events).toEqual([]);
    expect(says(first.xml)[0]!.text).toBe(DEFAULT_PROMPTS.en.invalid);
    expect(queryOf(findAll(first.xml, 'Gather')[0]!.attrs['action'])).toMatchObject({
      step: 'lang',
      attempt: '2',
    });
    const second = plan({ step: 'lang', attempt: '2' }, gather({}));
    expect(queryOf(findAll(second.xml, 'Gather')[0]!.attrs['action'])).toMatchObject({
      step: 'menu',
      lang: 'en',
    });
    expect(messages(second.events)[0]!.text).toMatch(/No language chosen/);
  });
});

describe('the menu', () => {
  const menu = (
    input: Record<string, string>,
    lang = 'en',
    f: Partial<CallFacts> = {},
    s: Partial<IvrSetup> = {},
  ) => plan({ step: 'menu', lang, attempt: '1', caller: '+79161234567' }, gather(input), s, f);

  it.each([
    ['en', true],
    ['ru', false],
    ['fa', false],
  ] as const)('1 records a voicemail in %s (Twilio transcribes: %s)', (lang, transcribed) => {
    const { xml, events } = menu({ Digits: '1' }, lang);
    expect(outline(xml)).toEqual(['Say', 'Record']);
    const [record] = findAll(xml, 'Record');
    expect(record!.attrs).toMatchObject({
      finishOnKey: '#',
      maxLength: '120',
      playBeep: 'true',
      trim: 'trim-silence',
    });
    expect(queryOf(record!.attrs['action'])).toEqual({
      step: 'recorded',
      lang,
      caller: '+79161234567',
    });
    expect(queryOf(record!.attrs['recordingStatusCallback'])).toEqual({
      step: 'recording',
      lang,
      caller: '+79161234567',
    });
    if (transcribed) {
      expect(record!.attrs['transcribe']).toBe('true');
      expect(queryOf(record!.attrs['transcribeCallback'])).toMatchObject({
        step: 'transcription',
        lang,
      });
    } else {
      expect(record!.attrs['transcribe']).toBeUndefined();
    }
    expect(messages(events).map((m) => m.text)).toEqual(['Caller chose 1: leave a message']);
  });

  it('2 requests a callback: the conversation is labelled and the caller thanked', () => {
    const { xml, events } = menu({ Digits: '2' }, 'ru');
    expect(outline(xml)).toEqual(['Say', 'Hangup']);
    expect(says(xml)[0]).toMatchObject({
      voice: 'Polly.Tatyana',
      text: DEFAULT_PROMPTS.ru.callback,
    });
    expect(messages(events)[1]).toMatchObject({
      kind: 'system',
      providerMessageId: `call:${CALL}:callback`,
      text: 'Callback requested on +79161234567',
      labels: ['callback_requested'],
    });
  });

  const agents = [
    { id: 'a1', name: 'Alice', phone: '+15555550201' },
    { id: 'a2', name: 'Boris', phone: '+79160000002' },
  ];

  it('0 in business hours rings every agent on duty at once, showing the caller', () => {
    const { xml, events } = menu({ SpeechResult: 'Я хочу поговорить с оператором.' }, 'ru', {
      agents,
    });
    expect(outline(xml)).toEqual(['Say', 'Dial', 'Dial>Number', 'Dial>Number']);
    const [dial] = findAll(xml, 'Dial');
    expect(dial!.attrs).toMatchObject({
      timeout: '20',
      callerId: '+79161234567',
      answerOnBridge: 'true',
    });
    expect(queryOf(dial!.attrs['action'])).toMatchObject({ step: 'dial', lang: 'ru' });
    const numbers = findAll(xml, 'Number');
    expect(numbers.map((n) => n.text)).toEqual(['+15555550201', '+79160000002']);
    expect(numbers.map((n) => queryOf(n.attrs['url']))).toEqual([
      { step: 'answered', lang: 'ru', caller: '+79161234567', agent: 'a1' },
      { step: 'answered', lang: 'ru', caller: '+79161234567', agent: 'a2' },
    ]);
    expect(messages(events).map((m) => m.text)).toEqual([
      'Caller chose 0: speak to someone',
      'Ringing Alice, Boris',
    ]);
  });

  it('0 in business hours with nobody on duty goes to voicemail', () => {
    const { xml, events } = menu({ Digits: '0' }, 'en', { agents: [] });
    expect(outline(xml)).toEqual(['Say', 'Say', 'Record']);
    expect(says(xml)[0]!.text).toBe(DEFAULT_PROMPTS.en.noAnswer);
    expect(messages(events)[1]!.providerMessageId).toBe(`call:${CALL}:no-agent`);
  });

  it.each([
    ['en', 'We are closed now. We open again Monday 9:00 AM.'],
    ['ru', 'Сейчас мы закрыты. Мы снова работаем понедельник 09:00.'],
  ] as const)(
    '0 outside business hours says when it opens (%s) and offers voicemail',
    (lang, text) => {
      const { xml, events } = menu({ Digits: '0' }, lang, {
        open: false,
        opensAt: new Date('2026-03-30T07:00:00Z'),
        agents,
      });
      expect(outline(xml)).toEqual(['Say', 'Say', 'Record']);
      expect(findAll(xml, 'Dial')).toEqual([]);
      expect(says(xml)[0]!.text).toBe(text);
      expect(messages(events)[1]).toMatchObject({
        providerMessageId: `call:${CALL}:closed`,
        text: 'Outside business hours (opens 2026-03-30T07:00:00.000Z); voicemail offered',
      });
    },
  );

  it('asks again once after an unknown key or silence, then offers voicemail', () => {
    const first = menu({ Digits: '7' });
    expect(outline(first.xml)).toEqual(['Say', 'Gather', 'Gather>Say']);
    expect(queryOf(findAll(first.xml, 'Gather')[0]!.attrs['action'])).toMatchObject({
      attempt: '2',
    });
    const second = plan({ step: 'menu', lang: 'en', attempt: '2' }, gather({}));
    expect(outline(second.xml)).toEqual(['Say', 'Record']);
    expect(messages(second.events)[0]!.text).toMatch(/No choice made/);
  });
});

describe('after the menu', () => {
  it('names the agent who answered (their own leg, child of the call)', () => {
    const params = {
      ...twilioFixture('voice-incoming-call'),
      CallSid: 'CAchild',
      ParentCallSid: CALL,
      From: '+15555550100',
    };
    const { events, xml } = plan(
      { step: 'answered', lang: 'en', caller: '+79161234567', agent: 'a1' },
      params,
      {},
      { agents: [{ id: 'a1', name: 'Alice', phone: '+15555550201' }] },
    );
    expect(outline(xml)).toEqual(['Say']);
    expect(messages(events)[0]).toMatchObject({
      providerMessageId: `call:${CALL}:answered`,
      sender: { kind: 'phone', value: '+79161234567' },
      text: 'Answered by Alice',
      meta: expect.objectContaining({ agentName: 'Alice' }),
    });
  });

  it.each([
    ['voice-dial-completed', ['Hangup'], 'Talked with an agent for 1:35'],
    [
      'voice-dial-no-answer',
      ['Say', 'Say', 'Record'],
      'No agent answered (no-answer); voicemail offered',
    ],
  ] as [TwilioFixtureName, string[], string][])('%s', (fixture, verbs, text) => {
    const { xml, events } = plan(
      { step: 'dial', lang: 'ru', caller: '+79161234567' },
      twilioFixture(fixture),
    );
    expect(outline(xml)).toEqual(verbs);
    expect(messages(events)[0]!.text).toBe(text);
  });

  it('thanks the caller once the recording ends', () => {
    const params = { ...twilioFixture('voice-recording-completed'), From: '+79161234567' };
    const { xml, events } = plan({ step: 'recorded', lang: 'fa', caller: '+79161234567' }, params);
    expect(outline(xml)).toEqual(['Say', 'Hangup']);
    expect(messages(events)[0]).toMatchObject({
      providerMessageId: `call:${CALL}:voicemail`,
      text: 'Voicemail left (0:14)',
    });
  });

  it.each([
    ['en', ''],
    ['ru', noTranscriber.pendingText('ru')],
    ['fa', noTranscriber.pendingText('fa')],
  ] as const)(
    'stores the %s voicemail as the caller’s message with the recording to fetch',
    (lang, text) => {
      const { events } = plan(
        { step: 'recording', lang, caller: '+79161234567' },
        twilioFixture('voice-recording-completed'),
      );
      expect(messages(events)).toEqual([
        expect.objectContaining({
          sender: { kind: 'phone', value: '+79161234567' },
          providerMessageId: 'rec:RE1be9252198894e342fccb8d93484ad9a',
          text,
          attachments: [
            {
              fileName: 'voicemail-RE1be9252198894e342fccb8d93484ad9a.mp3',
              contentType: 'audio/mpeg',
              ref: {
                url: 'https://api.twilio.com/2010-04-01/Accounts/ACa1b2c3d4e5f60718293a4b5c6d7e8f90/Recordings/RE1be9252198894e342fccb8d93484ad9a.mp3',
              },
            },
          ],
        }),
      ]);
      expect(messages(events)[0]!.kind).toBeUndefined();
    },
  );

  it('turns the transcription callback into an edit of the voicemail', () => {
    const { events } = plan(
      { step: 'transcription', lang: 'en', caller: '+79161234567' },
      twilioFixture('voice-transcription-completed'),
    );
    expect(events).toEqual([
      {
        type: 'edit',
        providerMessageId: 'rec:RE1be9252198894e342fccb8d93484ad9a',
        sender: { kind: 'phone', value: '+79161234567' },
        text: 'Hello, I am calling about order 4512. It has not arrived. Please call me back.',
        editedAt: facts().now,
      },
    ]);
  });
});

describe('the end of a call', () => {
  it.each([
    [
      [{ event: 'start' }, { event: 'answered', agentName: 'Alice' }],
      'answered',
      'answered by Alice',
    ],
    [[{ event: 'start' }, { event: 'voicemail' }], 'voicemail', 'voicemail'],
    [[{ event: 'start' }, { event: 'voicemail-recording' }], 'voicemail', 'voicemail'],
    [[{ event: 'start' }, { event: 'callback' }], 'callback', 'callback requested'],
    [[{ event: 'start' }, { event: 'dial' }, { event: 'no-answer' }], 'missed', 'missed'],
    [[{ event: 'start' }, { event: 'closed' }], 'missed', 'missed'],
    [[{ event: 'start' }, { event: 'lang' }], 'abandoned', 'abandoned in the menu'],
    [[], 'abandoned', 'abandoned in the menu'],
  ])('%j → %s', (history, kind, text) => {
    expect(callOutcome(history)).toEqual({ kind, text });
  });

  it('records the duration and outcome', () => {
    const events = planCallStatus(
      twilioFixture('voice-status-completed'),
      setup(),
      facts({ history: [{ event: 'answered', agentName: 'Alice' }] }),
    );
    expect(messages(events)).toEqual([
      expect.objectContaining({
        kind: 'system',
        providerMessageId: `call:${CALL}:end`,
        text: 'Call ended after 2:28: answered by Alice',
      }),
    ]);
    expect(messages(events)[0]!.autoReply).toBeUndefined();
  });

  it.each([
    [true, true, [{ event: 'dial' }], 'ru', DEFAULT_PROMPTS.ru.missedCallSms],
    [true, true, [], 'fa', DEFAULT_PROMPTS.fa.missedCallSms],
    [true, false, [], 'en', undefined], // outside business hours
    [false, true, [], 'en', undefined], // the inbox does not follow up
    [true, true, [{ event: 'voicemail' }], 'en', undefined], // they left a message
  ] as const)(
    'follow-up SMS: setting %s, open %s, %j, %s → %s',
    (setting, open, history, lang, text) => {
      const events = planCallStatus(
        twilioFixture('voice-status-completed'),
        setup({ missedCallSms: setting }),
        facts({ open, history: [...history], profileLanguage: lang }),
      );
      expect(messages(events)[0]!.autoReply).toEqual(text ? { text } : undefined);
    },
  );

  it.each([
    ['voice-status-busy', 'Outbound call to +989121234567: busy (0:00)'],
    ['voice-status-no-answer', 'Outbound call to +989121234567: no-answer (0:00)'],
  ] as [TwilioFixtureName, string][])(
    'records an outbound call’s end (%s) with the person called',
    (fixture, text) => {
      const events = planCallStatus(twilioFixture(fixture), setup(), facts());
      expect(messages(events)[0]).toMatchObject({
        text,
        sender: { kind: 'phone', value: '+989121234567' },
      });
    },
  );

  it('ignores statuses that do not end a call, and unknown ones', () => {
    for (const CallStatus of ['ringing', 'in-progress', 'queued', 'exploded'])
      expect(
        planCallStatus(
          { ...twilioFixture('voice-status-completed'), CallStatus },
          setup(),
          facts(),
        ),
      ).toEqual([]);
  });

  it('refuses a callback without CallSid or without the caller', () => {
    const { CallSid: _sid, ...noSid } = twilioFixture('voice-status-completed');
    expect(() => planCallStatus(noSid, setup(), facts())).toThrow(/CallSid/);
    const { From: _from, ...noFrom } = twilioFixture('voice-status-completed');
    expect(() => planCallStatus(noFrom, setup(), facts())).toThrow(/From/);
    expect(() => planVoice({ From: '+1' }, {}, setup(), facts())).toThrow(/CallSid/);
    expect(() =>
      planVoice(twilioFixture('voice-incoming-call'), { step: 'dance' }, setup(), facts()),
    ).toThrow(/no step/);
  });
});

describe('helpers', () => {
  it.each([
    [{ Digits: '1' }, '1'],
    [{ Digits: '05' }, '0'],
    [{ SpeechResult: 'one' }, '1'],
    [{ SpeechResult: 'I want to talk to someone' }, '0'],
    [{ SpeechResult: 'Please call me back' }, '2'],
    [{ SpeechResult: 'перезвоните мне' }, '2'],
    [{ SpeechResult: 'می‌خواهم با کارشناس صحبت کنم' }, '0'],
    [{ SpeechResult: '۲' }, '2'],
    [{ SpeechResult: 'mmm' }, undefined],
    [{}, undefined],
  ])('choiceOf(%j) = %s', (params, expected) => {
    expect(
      choiceOf(params, {
        '1': ['one', 'message'],
        '2': ['call me', 'перезвон'],
        '0': ['someone', 'кارشناس', 'کارشناس'],
      }),
    ).toBe(expected);
  });

  it('formats durations', () => {
    expect([0, 9, 60, 148, 3600].map(formatDuration)).toEqual([
      '0:00',
      '0:09',
      '1:00',
      '2:28',
      '60:00',
    ]);
  });
});
