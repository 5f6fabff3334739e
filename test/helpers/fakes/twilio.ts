import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import twilio from 'twilio';
import {
  CallLog,
  decodeBody,
  dropConnection,
  listen,
  sendJson,
  sleep,
  type Listening,
} from './http';

/**
 * A fake of Twilio's REST API (2010-04-01) on 127.0.0.1: Messages, the account fetch that
 * validates credentials, IncomingPhoneNumbers, message media (which redirects, as Twilio's does,
 * to a CDN: here a second port) and recordings. HTTP Basic auth with AccountSid:AuthToken is
 * checked on every call. Answers and errors have Twilio's JSON shapes and codes.
 *
 * Reach it with `TWILIO_API_BASE=<fake.url>`; the official library needs the request client in
 * `./twilio-client.ts` for that.
 */

// ---- public types ------------------------------------------------------------------------------

export interface TwilioAccountInput {
  accountSid: string;
  authToken: string;
  friendlyName?: string;
  status?: 'active' | 'suspended' | 'closed';
}

export interface TwilioNumberInput {
  phoneNumber: string;
  sid?: string;
  friendlyName?: string;
  smsUrl?: string;
  voiceUrl?: string;
  statusCallback?: string;
}

export interface TwilioMediaInput {
  messageSid: string;
  mediaSid?: string;
  contentType: string;
  bytes: Buffer;
}

export interface TwilioRecordingInput {
  recordingSid?: string;
  callSid?: string;
  /** WAV bytes, served for the bare URL and `.wav`. */
  wav: Buffer;
  /** MP3 bytes, served for `.mp3`; without them `.mp3` is a 404. */
  mp3?: Buffer;
  durationSeconds?: number;
}

/** Twilio's REST error body. */
export interface TwilioErrorBody {
  code: number;
  message: string;
  more_info: string;
  status: number;
}

export interface TwilioErrorInput {
  status: number;
  code: number;
  message: string;
}

/** What `failNext` makes the next matching request do. */
export type TwilioFault =
  (TwilioErrorInput & { delayMs?: number }) | { delayMs: number } | { drop: true };

export interface TwilioFaultMatch {
  method?: string;
  /** A substring of, or a pattern for, the request path. */
  path?: string | RegExp;
}

/** REST errors with Twilio's codes and wording. */
export const TwilioErrors = {
  invalidTo: (to: string): TwilioErrorInput => ({
    status: 400,
    code: 21211,
    message: `The 'To' number ${to} is not a valid phone number.`,
  }),
  unsubscribedRecipient: {
    status: 400,
    code: 21610,
    message: 'Attempt to send to unsubscribed recipient',
  } satisfies TwilioErrorInput,
  regionNotEnabled: (to: string): TwilioErrorInput => ({
    status: 400,
    code: 21408,
    message: `Permission to send an SMS has not been enabled for the region indicated by the 'To' number: ${to}`,
  }),
  tooManyRequests: {
    status: 429,
    code: 20429,
    message: 'Too Many Requests',
  } satisfies TwilioErrorInput,
  internal: {
    status: 500,
    code: 20500,
    message: 'An internal server error has occurred',
  } satisfies TwilioErrorInput,
} as const;

/** Delivery failures as they come in status callbacks (ErrorCode), with the catalogue's title. */
export const TwilioDeliveryErrors: Readonly<Record<number, string>> = {
  30003: 'Unreachable destination handset',
  30005: 'Unknown destination handset',
  30006: 'Landline or unreachable carrier',
  30007: 'Message filtered',
  30008: 'Unknown error',
};

export type MessageStatus =
  'accepted' | 'queued' | 'sending' | 'sent' | 'delivered' | 'undelivered' | 'failed' | 'received';

/** Twilio's Message resource as the REST API returns it. */
export interface MessageResource {
  account_sid: string;
  api_version: '2010-04-01';
  body: string;
  date_created: string;
  date_sent: string | null;
  date_updated: string;
  direction: 'outbound-api' | 'inbound';
  error_code: number | null;
  error_message: string | null;
  from: string | null;
  messaging_service_sid: string | null;
  num_media: string;
  num_segments: string;
  price: string | null;
  price_unit: string;
  sid: string;
  status: MessageStatus;
  subresource_uris: { media: string; feedback?: string };
  to: string;
  uri: string;
}

export interface TwilioCall {
  httpMethod: string;
  path: string;
  /** The account in the path, when there is one. */
  accountSid: string | undefined;
  /** The Basic auth username, and whether username and password matched an account. */
  auth: { username: string | undefined; valid: boolean };
  /** Query and form fields, first value of each. */
  params: Record<string, string>;
  /** Every value of every field, in order (`MediaUrl` repeats). */
  multi: Record<string, string[]>;
  at: Date;
  response?: { status: number; body: unknown } | { dropped: true };
}

export interface CdnRequest {
  path: string;
  /** The Authorization header the client sent to the CDN, if any (it should send none). */
  authorization: string | undefined;
}

export interface FakeTwilioOptions {
  /** Media and recording URLs demand Basic auth ("Enforce HTTP Auth on Media URLs"). Default true. */
  mediaAuth?: boolean;
}

export interface FakeTwilio {
  /** The API base, e.g. `http://127.0.0.1:40123` (no trailing slash). */
  readonly url: string;
  /** The media CDN that media URLs redirect to. */
  readonly cdnUrl: string;
  readonly calls: readonly TwilioCall[];
  readonly messages: readonly MessageResource[];
  readonly cdnRequests: readonly CdnRequest[];
  addAccount(account: TwilioAccountInput): void;
  addNumber(accountSid: string, number: TwilioNumberInput): string;
  /** Registers media of an inbound MMS; returns its MediaUrl on this fake. */
  addMedia(accountSid: string, media: TwilioMediaInput): { mediaSid: string; url: string };
  /** Registers a call recording; returns its RecordingUrl on this fake (no extension). */
  addRecording(
    accountSid: string,
    recording: TwilioRecordingInput,
  ): { recordingSid: string; url: string };
  /** The recipient replied STOP: sends from `from` (or from any number) to `to` get 21610. */
  optOut(accountSid: string, to: string, from?: string): void;
  optIn(accountSid: string, to: string, from?: string): void;
  /** Sends to numbers starting with this prefix (e.g. `+98`) get 21408. */
  disableRegion(accountSid: string, prefix: string): void;
  failNext(fault: TwilioFault, match?: TwilioFaultMatch): void;
  /**
   * Moves a created message to a new status and, when it was created with a StatusCallback,
   * POSTs the signed callback Twilio would send. Resolves with the callback's response.
   */
  deliverStatus(
    messageSid: string,
    status: MessageStatus,
    opts?: { errorCode?: number },
  ): Promise<Response | undefined>;
  waitForCall(predicate: (call: TwilioCall) => boolean, timeoutMs?: number): Promise<TwilioCall>;
  close(): Promise<void>;
}

/** A Twilio-looking SID: two-letter prefix and 32 lowercase hex digits (34 characters). */
export function newSid(prefix: string): string {
  return `${prefix}${randomBytes(16).toString('hex')}`;
}

/** The X-Twilio-Signature Twilio computes, by the twilio library itself. */
export function signTwilioRequest(
  url: string,
  params: Record<string, string>,
  authToken: string,
): string {
  return twilio.getExpectedTwilioSignature(authToken, url, params);
}

export interface PostTwilioWebhookOptions {
  /**
   * The URL the signature is computed over, when it differs from where the request is sent
   * (the public URL Twilio knows versus 127.0.0.1 in a test).
   */
  signatureUrl?: string;
  /**
   * Spoil the request after signing: `body` (or `true`) changes a parameter, `signature`
   * changes the signature.
   */
  tamper?: boolean | 'body' | 'signature';
}

/**
 * POSTs a webhook exactly as Twilio does: an application/x-www-form-urlencoded body, the
 * `X-Twilio-Signature` header (HMAC-SHA1 of URL + sorted params with the auth token), and
 * Twilio's User-Agent and idempotency token.
 */
export function postTwilioWebhook(
  url: string,
  params: Record<string, string>,
  authToken: string,
  opts: PostTwilioWebhookOptions = {},
): Promise<Response> {
  let signature = signTwilioRequest(opts.signatureUrl ?? url, params, authToken);
  let sent = params;
  if (opts.tamper === true || opts.tamper === 'body') {
    sent =
      'Body' in params
        ? { ...params, Body: `${params.Body} (altered)` }
        : { ...params, Tampered: 'true' };
  } else if (opts.tamper === 'signature') {
    const last = signature.at(-2) === 'A' ? 'B' : 'A';
    signature = `${signature.slice(0, -2)}${last}${signature.slice(-1)}`;
  }
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': signature,
      'user-agent': 'TwilioProxy/1.1',
      'i-twilio-idempotency-token': randomUUID(),
    },
    body: new URLSearchParams(sent).toString(),
  });
}

export interface StatusCallbackParams {
  MessageSid: string;
  MessageStatus: MessageStatus;
  ErrorCode?: number | string;
  AccountSid?: string;
  From?: string;
  To?: string;
  MessagingServiceSid?: string;
}

/**
 * POSTs a signed message status callback with the fields Twilio sends: MessageStatus and its
 * legacy twin SmsStatus, MessageSid and SmsSid, ApiVersion, and ErrorCode on failures.
 */
export function sendStatusCallback(
  url: string,
  status: StatusCallbackParams,
  authToken: string,
  opts: PostTwilioWebhookOptions = {},
): Promise<Response> {
  const params: Record<string, string> = {
    ApiVersion: '2010-04-01',
    MessageSid: status.MessageSid,
    MessageStatus: status.MessageStatus,
    SmsSid: status.MessageSid,
    SmsStatus: status.MessageStatus,
  };
  if (status.AccountSid) params.AccountSid = status.AccountSid;
  if (status.From) params.From = status.From;
  if (status.To) params.To = status.To;
  if (status.MessagingServiceSid) params.MessagingServiceSid = status.MessagingServiceSid;
  if (status.ErrorCode !== undefined) params.ErrorCode = String(status.ErrorCode);
  return postTwilioWebhook(url, params, authToken, opts);
}

/** Points a URL from a fixture (https://api.twilio.com/...) at the fake. */
export function atFake(url: string, fake: Pick<FakeTwilio, 'url'>): string {
  const parsed = new URL(url);
  return `${fake.url}${parsed.pathname}${parsed.search}`;
}

export async function startFakeTwilio(options: FakeTwilioOptions = {}): Promise<FakeTwilio> {
  const fake = new TwilioServer(options);
  await fake.start();
  return fake;
}

// ---- implementation ----------------------------------------------------------------------------

class RestError extends Error {
  constructor(readonly input: TwilioErrorInput) {
    super(input.message);
  }
}

interface Account {
  sid: string;
  authToken: string;
  friendlyName: string;
  status: 'active' | 'suspended' | 'closed';
  created: Date;
  numbers: Array<Record<string, unknown> & { phone_number: string }>;
  optOuts: Set<string>;
  disabledPrefixes: string[];
  media: Map<string, { messageSid: string; contentType: string; bytes: Buffer; created: Date }>;
  recordings: Map<string, TwilioRecordingInput & { recordingSid: string; created: Date }>;
}

interface PendingFault {
  fault: TwilioFault;
  match: TwilioFaultMatch;
}

const API = '/2010-04-01';
const E164 = /^\+[1-9]\d{7,14}$/;
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '^{}\\[~]|€\f';

/** RFC 2822 as Twilio writes it: `Thu, 24 Aug 2023 05:01:45 +0000`. */
export function rfc2822(date: Date): string {
  return date.toUTCString().replace('GMT', '+0000');
}

/** SMS segments: GSM-7 fits 160 (153 per part), anything else is UCS-2 at 70 (67 per part). */
export function segmentCount(body: string): number {
  if (body === '') return 1;
  const chars = [...body];
  if (chars.every((c) => GSM_BASIC.includes(c) || GSM_EXTENDED.includes(c))) {
    const septets = chars.reduce((n, c) => n + (GSM_EXTENDED.includes(c) ? 2 : 1), 0);
    return septets <= 160 ? 1 : Math.ceil(septets / 153);
  }
  const units = body.length;
  return units <= 70 ? 1 : Math.ceil(units / 67);
}

function errorBody(input: TwilioErrorInput): TwilioErrorBody {
  return {
    code: input.code,
    message: input.message,
    more_info: `https://www.twilio.com/docs/errors/${input.code}`,
    status: input.status,
  };
}

function notFound(path: string): RestError {
  return new RestError({
    status: 404,
    code: 20404,
    message: `The requested resource ${path} was not found`,
  });
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

class TwilioServer implements FakeTwilio {
  url = '';
  cdnUrl = '';
  readonly messages: MessageResource[] = [];
  readonly cdnRequests: CdnRequest[] = [];
  private readonly log = new CallLog<TwilioCall>();
  private readonly accounts = new Map<string, Account>();
  private readonly statusCallbacks = new Map<string, string>();
  private readonly cdnObjects = new Map<string, { contentType: string; bytes: Buffer }>();
  private faults: PendingFault[] = [];
  private api: Listening | undefined;
  private cdn: Listening | undefined;

  constructor(private readonly options: FakeTwilioOptions) {}

  get calls(): readonly TwilioCall[] {
    return this.log.calls;
  }

  async start(): Promise<void> {
    const onError = (err: unknown, res: ServerResponse) => {
      if (!res.headersSent) {
        sendJson(res, 500, errorBody({ ...TwilioErrors.internal, message: String(err) }));
      }
    };
    this.api = await listen((req, res) => this.handle(req, res), onError);
    this.cdn = await listen(async (req, res) => this.serveCdn(req, res), onError);
    this.url = this.api.url;
    this.cdnUrl = this.cdn.url;
  }

  async close(): Promise<void> {
    await Promise.all([this.api?.close(), this.cdn?.close()]);
  }

  // ---- test-side API ---------------------------------------------------------------------------

  addAccount(input: TwilioAccountInput): void {
    if (!/^AC[0-9a-f]{32}$/.test(input.accountSid)) {
      throw new Error(`not an account SID: ${input.accountSid}`);
    }
    this.accounts.set(input.accountSid, {
      sid: input.accountSid,
      authToken: input.authToken,
      friendlyName: input.friendlyName ?? 'My first Twilio account',
      status: input.status ?? 'active',
      created: new Date(),
      numbers: [],
      optOuts: new Set(),
      disabledPrefixes: [],
      media: new Map(),
      recordings: new Map(),
    });
  }

  addNumber(accountSid: string, input: TwilioNumberInput): string {
    const account = this.account(accountSid);
    const sid = input.sid ?? newSid('PN');
    const created = rfc2822(new Date());
    account.numbers.push({
      account_sid: accountSid,
      address_requirements: 'none',
      api_version: '2010-04-01',
      beta: false,
      capabilities: { fax: false, mms: true, sms: true, voice: true },
      date_created: created,
      date_updated: created,
      emergency_status: 'Inactive',
      friendly_name: input.friendlyName ?? input.phoneNumber,
      origin: 'twilio',
      phone_number: input.phoneNumber,
      sid,
      sms_fallback_method: 'POST',
      sms_fallback_url: '',
      sms_method: 'POST',
      sms_url: input.smsUrl ?? '',
      status: 'in-use',
      status_callback: input.statusCallback ?? '',
      status_callback_method: 'POST',
      uri: `${API}/Accounts/${accountSid}/IncomingPhoneNumbers/${sid}.json`,
      voice_method: 'POST',
      voice_url: input.voiceUrl ?? '',
    });
    return sid;
  }

  addMedia(accountSid: string, input: TwilioMediaInput): { mediaSid: string; url: string } {
    const account = this.account(accountSid);
    const mediaSid = input.mediaSid ?? newSid('ME');
    account.media.set(mediaSid, { ...input, created: new Date() });
    return {
      mediaSid,
      url: `${this.url}${API}/Accounts/${accountSid}/Messages/${input.messageSid}/Media/${mediaSid}`,
    };
  }

  addRecording(
    accountSid: string,
    input: TwilioRecordingInput,
  ): { recordingSid: string; url: string } {
    const account = this.account(accountSid);
    const recordingSid = input.recordingSid ?? newSid('RE');
    account.recordings.set(recordingSid, { ...input, recordingSid, created: new Date() });
    return {
      recordingSid,
      url: `${this.url}${API}/Accounts/${accountSid}/Recordings/${recordingSid}`,
    };
  }

  optOut(accountSid: string, to: string, from = '*'): void {
    this.account(accountSid).optOuts.add(`${from}>${to}`);
  }

  optIn(accountSid: string, to: string, from = '*'): void {
    this.account(accountSid).optOuts.delete(`${from}>${to}`);
  }

  disableRegion(accountSid: string, prefix: string): void {
    this.account(accountSid).disabledPrefixes.push(prefix);
  }

  failNext(fault: TwilioFault, match: TwilioFaultMatch = {}): void {
    this.faults.push({ fault, match });
  }

  async deliverStatus(
    messageSid: string,
    status: MessageStatus,
    opts: { errorCode?: number } = {},
  ): Promise<Response | undefined> {
    const message = this.messages.find((m) => m.sid === messageSid);
    if (!message) throw new Error(`no message ${messageSid} was created on the fake`);
    const account = this.account(message.account_sid);
    message.status = status;
    message.date_updated = rfc2822(new Date());
    if (status === 'sent' || status === 'delivered') message.date_sent ??= message.date_updated;
    if (opts.errorCode !== undefined) {
      message.error_code = opts.errorCode;
      message.error_message = TwilioDeliveryErrors[opts.errorCode] ?? null;
    }
    const callback = this.statusCallbacks.get(messageSid);
    if (!callback) return undefined;
    return sendStatusCallback(
      callback,
      {
        MessageSid: messageSid,
        MessageStatus: status,
        AccountSid: message.account_sid,
        ...(message.from ? { From: message.from } : {}),
        To: message.to,
        ...(message.messaging_service_sid
          ? { MessagingServiceSid: message.messaging_service_sid }
          : {}),
        ...(opts.errorCode !== undefined ? { ErrorCode: opts.errorCode } : {}),
      },
      account.authToken,
    );
  }

  waitForCall(predicate: (call: TwilioCall) => boolean, timeoutMs = 2000): Promise<TwilioCall> {
    return this.log.waitFor(predicate, timeoutMs, 'Twilio');
  }

  private account(sid: string): Account {
    const account = this.accounts.get(sid);
    if (!account) throw new Error(`no fake Twilio account ${sid}; call addAccount first`);
    return account;
  }

  // ---- HTTP ------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const body = await decodeBody(req, url);
    const params: Record<string, string> = {};
    const multi: Record<string, string[]> = {};
    for (const [key, value] of body.fields) {
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      params[key] ??= text;
      (multi[key] ??= []).push(text);
    }
    const credentials = this.credentials(req);
    const call: TwilioCall = {
      httpMethod: req.method ?? 'GET',
      path: url.pathname,
      accountSid: /^\/2010-04-01\/Accounts\/(AC\w+)/.exec(url.pathname)?.[1],
      auth: { username: credentials?.username, valid: credentials?.account !== undefined },
      params,
      multi,
      at: new Date(),
    };
    this.log.record(call);

    const answer = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      call.response = { status, body: payload };
      sendJson(res, status, payload, headers);
    };
    const fault = this.takeFault(call);
    if (fault && 'drop' in fault) {
      call.response = { dropped: true };
      dropConnection(req);
      return;
    }
    if (fault?.delayMs) await sleep(fault.delayMs);
    if (fault && 'code' in fault) return answer(fault.status, errorBody(fault));

    try {
      const outcome = await this.route(req.method ?? 'GET', url, call, credentials?.account);
      if (outcome.kind === 'json') return answer(outcome.status, outcome.body);
      call.response = { status: outcome.status, body: undefined };
      res.writeHead(outcome.status, outcome.headers);
      res.end(outcome.bytes);
    } catch (err) {
      if (!(err instanceof RestError)) throw err;
      const headers: Record<string, string> =
        err.input.status === 401 ? { 'www-authenticate': 'Basic realm="Twilio API"' } : {};
      answer(err.input.status, errorBody(err.input), headers);
    }
  }

  private credentials(
    req: IncomingMessage,
  ): { username: string; account: Account | undefined } | undefined {
    const header = req.headers.authorization ?? '';
    const match = /^Basic\s+(\S+)$/i.exec(header);
    if (!match?.[1]) return undefined;
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    const username = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    const account = this.accounts.get(username);
    const valid = account !== undefined && sameSecret(password, account.authToken);
    return { username, account: valid ? account : undefined };
  }

  private takeFault(call: TwilioCall): TwilioFault | undefined {
    const index = this.faults.findIndex(({ match }) => {
      if (match.method && match.method.toUpperCase() !== call.httpMethod.toUpperCase()) {
        return false;
      }
      if (typeof match.path === 'string' && !call.path.includes(match.path)) return false;
      if (match.path instanceof RegExp && !match.path.test(call.path)) return false;
      return true;
    });
    if (index < 0) return undefined;
    const [taken] = this.faults.splice(index, 1);
    return taken?.fault;
  }

  private async route(
    method: string,
    url: URL,
    call: TwilioCall,
    authenticated: Account | undefined,
  ): Promise<
    | { kind: 'json'; status: number; body: unknown }
    | { kind: 'bytes'; status: number; headers: Record<string, string | number>; bytes?: Buffer }
  > {
    const path = url.pathname;
    const media =
      /^\/2010-04-01\/Accounts\/(AC\w+)\/Messages\/(\w+)\/Media\/(ME\w+?)(\.json)?$/.exec(path);
    const recording =
      /^\/2010-04-01\/Accounts\/(AC\w+)\/Recordings\/(RE\w+?)(\.wav|\.mp3|\.json)?$/.exec(path);
    const isMedia = Boolean(media ?? recording);
    const account =
      authenticated ??
      (isMedia && this.options.mediaAuth === false && call.accountSid
        ? this.accounts.get(call.accountSid)
        : undefined);
    if (!account) {
      throw new RestError({ status: 401, code: 20003, message: 'Authenticate' });
    }
    if (call.accountSid !== undefined && call.accountSid !== account.sid) throw notFound(path);

    if (method === 'GET' && /^\/2010-04-01\/Accounts\/AC\w+\.json$/.test(path)) {
      return { kind: 'json', status: 200, body: this.accountResource(account) };
    }
    if (/^\/2010-04-01\/Accounts\/AC\w+\/Messages\.json$/.test(path)) {
      if (method === 'POST') {
        return { kind: 'json', status: 201, body: this.createMessage(account, call) };
      }
      if (method === 'GET')
        return { kind: 'json', status: 200, body: this.listMessages(account, url) };
    }
    const messageFetch = /^\/2010-04-01\/Accounts\/AC\w+\/Messages\/(\w+)\.json$/.exec(path);
    if (method === 'GET' && messageFetch) {
      const message = this.messages.find(
        (m) => m.sid === messageFetch[1] && m.account_sid === account.sid,
      );
      if (!message) throw notFound(path);
      return { kind: 'json', status: 200, body: message };
    }
    if (
      method === 'GET' &&
      /^\/2010-04-01\/Accounts\/AC\w+\/IncomingPhoneNumbers\.json$/.test(path)
    ) {
      return { kind: 'json', status: 200, body: this.listNumbers(account, url) };
    }
    if (method === 'GET' && media) {
      const [, , messageSid, mediaSid = '', json] = media;
      const item = account.media.get(mediaSid);
      if (!item || item.messageSid !== messageSid) throw notFound(path);
      if (json) {
        return {
          kind: 'json',
          status: 200,
          body: {
            account_sid: account.sid,
            content_type: item.contentType,
            date_created: rfc2822(item.created),
            date_updated: rfc2822(item.created),
            parent_sid: messageSid,
            sid: mediaSid,
            uri: `${API}/Accounts/${account.sid}/Messages/${messageSid}/Media/${mediaSid}.json`,
          },
        };
      }
      // Twilio answers a media URL with a redirect to a short-lived CDN URL.
      const key = randomBytes(12).toString('hex');
      this.cdnObjects.set(key, { contentType: item.contentType, bytes: item.bytes });
      return {
        kind: 'bytes',
        status: 302,
        headers: { location: `${this.cdnUrl}/media/${key}?Expires=${Date.now() + 300_000}` },
      };
    }
    if (method === 'GET' && recording) {
      const [, , recordingSid = '', extension] = recording;
      const item = account.recordings.get(recordingSid);
      if (!item) throw notFound(path);
      if (extension === '.json') {
        return { kind: 'json', status: 200, body: this.recordingResource(account, item) };
      }
      const bytes = extension === '.mp3' ? item.mp3 : item.wav;
      if (!bytes) throw notFound(path);
      return {
        kind: 'bytes',
        status: 200,
        headers: {
          'content-type': extension === '.mp3' ? 'audio/mpeg' : 'audio/x-wav',
          'content-length': bytes.length,
        },
        bytes,
      };
    }
    throw notFound(path);
  }

  private serveCdn(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.cdnUrl);
    this.cdnRequests.push({ path: url.pathname, authorization: req.headers.authorization });
    const object = this.cdnObjects.get(url.pathname.replace(/^\/media\//, ''));
    if (!object) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Not Found');
      return;
    }
    res.writeHead(200, {
      'content-type': object.contentType,
      'content-length': object.bytes.length,
    });
    res.end(object.bytes);
  }

  // ---- resources -------------------------------------------------------------------------------

  private accountResource(account: Account): Record<string, unknown> {
    const base = `${API}/Accounts/${account.sid}`;
    return {
      auth_token: account.authToken,
      date_created: rfc2822(account.created),
      date_updated: rfc2822(account.created),
      friendly_name: account.friendlyName,
      owner_account_sid: account.sid,
      sid: account.sid,
      status: account.status,
      subresource_uris: {
        incoming_phone_numbers: `${base}/IncomingPhoneNumbers.json`,
        messages: `${base}/Messages.json`,
        recordings: `${base}/Recordings.json`,
        calls: `${base}/Calls.json`,
      },
      type: 'Full',
      uri: `${base}.json`,
    };
  }

  private createMessage(account: Account, call: TwilioCall): MessageResource {
    const to = call.params.To ?? '';
    const from = call.params.From;
    const serviceSid = call.params.MessagingServiceSid;
    const body = call.params.Body ?? '';
    const mediaUrls = call.multi.MediaUrl ?? [];
    if (!to)
      throw new RestError({
        status: 400,
        code: 21604,
        message: "A 'To' phone number is required.",
      });
    if (!from && !serviceSid) {
      throw new RestError({
        status: 400,
        code: 21603,
        message: "A 'From' phone number is required.",
      });
    }
    if (!body && mediaUrls.length === 0) {
      throw new RestError({ status: 400, code: 21602, message: 'Message body is required.' });
    }
    const toNumber = to.replace(/^whatsapp:/, '');
    if (!E164.test(toNumber)) throw new RestError(TwilioErrors.invalidTo(to));
    if (
      from &&
      account.numbers.length > 0 &&
      !account.numbers.some((n) => n.phone_number === from)
    ) {
      throw new RestError({
        status: 400,
        code: 21606,
        message: `The From phone number ${from} is not a valid, SMS-capable inbound phone number or short code for your account.`,
      });
    }
    if (account.disabledPrefixes.some((prefix) => toNumber.startsWith(prefix))) {
      throw new RestError(TwilioErrors.regionNotEnabled(to));
    }
    if (account.optOuts.has(`*>${to}`) || (from && account.optOuts.has(`${from}>${to}`))) {
      throw new RestError(TwilioErrors.unsubscribedRecipient);
    }
    if ([...body].length > 1600) {
      throw new RestError({
        status: 400,
        code: 21617,
        message: 'The concatenated message body exceeds the 1600 character limit.',
      });
    }
    const sid = newSid(mediaUrls.length > 0 ? 'MM' : 'SM');
    const created = rfc2822(new Date());
    const uri = `${API}/Accounts/${account.sid}/Messages/${sid}`;
    const message: MessageResource = {
      account_sid: account.sid,
      api_version: '2010-04-01',
      body,
      date_created: created,
      date_sent: null,
      date_updated: created,
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      from: from ?? null,
      messaging_service_sid: serviceSid ?? null,
      num_media: String(mediaUrls.length),
      num_segments: String(segmentCount(body)),
      price: null,
      price_unit: 'USD',
      sid,
      // Sent through a Messaging Service without From, a message is accepted before a sender
      // is chosen; with From it is queued at once.
      status: from ? 'queued' : 'accepted',
      subresource_uris: { media: `${uri}/Media.json` },
      to,
      uri: `${uri}.json`,
    };
    this.messages.push(message);
    if (call.params.StatusCallback) this.statusCallbacks.set(sid, call.params.StatusCallback);
    return message;
  }

  private page(url: URL, key: string, items: unknown[]): Record<string, unknown> {
    const pageSize = Number(url.searchParams.get('PageSize') ?? 50);
    const query = url.search;
    return {
      [key]: items.slice(0, pageSize),
      end: Math.max(0, Math.min(items.length, pageSize) - 1),
      first_page_uri: `${url.pathname}${query}`,
      next_page_uri: null,
      page: 0,
      page_size: pageSize,
      previous_page_uri: null,
      start: 0,
      uri: `${url.pathname}${query}`,
    };
  }

  private listMessages(account: Account, url: URL): Record<string, unknown> {
    const to = url.searchParams.get('To');
    const from = url.searchParams.get('From');
    const items = this.messages
      .filter((m) => m.account_sid === account.sid)
      .filter((m) => (to === null || m.to === to) && (from === null || m.from === from))
      .reverse();
    return this.page(url, 'messages', items);
  }

  private listNumbers(account: Account, url: URL): Record<string, unknown> {
    const wanted = url.searchParams.get('PhoneNumber');
    const items = account.numbers.filter((n) => wanted === null || n.phone_number === wanted);
    return this.page(url, 'incoming_phone_numbers', items);
  }

  private recordingResource(
    account: Account,
    item: TwilioRecordingInput & { recordingSid: string; created: Date },
  ): Record<string, unknown> {
    const uri = `${API}/Accounts/${account.sid}/Recordings/${item.recordingSid}`;
    return {
      account_sid: account.sid,
      api_version: '2010-04-01',
      call_sid: item.callSid ?? null,
      channels: 1,
      date_created: rfc2822(item.created),
      date_updated: rfc2822(item.created),
      duration: String(item.durationSeconds ?? 0),
      media_url: `https://api.twilio.com${uri}`,
      sid: item.recordingSid,
      source: 'RecordVerb',
      start_time: rfc2822(item.created),
      status: 'completed',
      uri: `${uri}.json`,
    };
  }
}
