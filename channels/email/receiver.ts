import { ImapFlow } from 'imapflow';
import type { ChannelReceiver, ParsedEvent, ReceiverContext } from '../types';
import type { ParseOutcome } from './parse';
import { redact, type ImapTarget } from './url';

/** What the receiver writes down after each committed batch (the inbox's channel state). */
export interface ImapCursor {
  uidValidity: number;
  /** Every message up to this UID is stored. */
  lastUid: number;
  /** While the first sync of a window runs: its start date and the last UID it covers. */
  initial?: { since: string; until: number };
}

export interface ReceiverLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface ImapReceiverOptions {
  target: ImapTarget;
  /** Bytes → events (the channel's parser, with the inbox's settings). */
  parse(raw: Buffer, receivedAt: Date | undefined): Promise<ParseOutcome>;
  /** The first sync (and a resync after UIDVALIDITY changed) takes this many days. */
  firstSyncDays: number;
  /** Flag what was stored as \Seen; otherwise flags stay as they were (read-only EXAMINE). */
  markSeen: boolean;
  logger: ReceiverLogger;
  inboxId: string;
  /** Messages per batch (one commit, one cursor step), and a soft cap on their bytes. */
  batchSize?: number;
  batchBytes?: number;
  /** IDLE is restarted this often (servers drop an IDLE after 30 min). */
  idleRestartMs?: number;
  connectTimeoutMs?: number;
  /** After the server reports new mail, wait this long for more before fetching. */
  settleMs?: number;
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

const DAY = 24 * 60 * 60 * 1000;

function readCursor(state: Readonly<Record<string, unknown>>): ImapCursor | undefined {
  const { uidValidity, lastUid, initial } = state;
  if (typeof uidValidity !== 'number' || typeof lastUid !== 'number') return undefined;
  const init =
    typeof initial === 'object' && initial !== null
      ? (initial as { since?: unknown; until?: unknown })
      : undefined;
  return {
    uidValidity,
    lastUid,
    ...(init && typeof init.since === 'string' && typeof init.until === 'number'
      ? { initial: { since: init.since, until: init.until } }
      : {}),
  };
}

/**
 * One IMAP connection per run: select the mailbox, take in what is new since the cursor (or the
 * first sync's window), then IDLE until the server says something arrived, and again. Each
 * batch is handed to the host and the cursor moves only once the batch is committed, so a
 * restart or a dropped connection neither loses nor repeats mail. Any failure throws: the host
 * runs the receiver again with backoff, on a new connection. Mail is never deleted.
 */
export class ImapReceiver implements ChannelReceiver {
  constructor(private readonly opts: ImapReceiverOptions) {}

  async run(ctx: ReceiverContext): Promise<void> {
    const { target } = this.opts;
    const client = new ImapFlow({
      host: target.host,
      port: target.port,
      secure: target.secure,
      auth: { user: target.user, pass: target.password },
      logger: false,
      disableAutoIdle: true,
      maxIdleTime: this.opts.idleRestartMs ?? 5 * 60_000,
      connectionTimeout: this.opts.connectTimeoutMs ?? 30_000,
      greetingTimeout: this.opts.connectTimeoutMs ?? 30_000,
      socketTimeout: 10 * 60_000,
    });
    let failure: Error | undefined;
    let wake: (() => void) | undefined;
    let news = false;
    const nudge = () => {
      const w = wake;
      wake = undefined;
      w?.();
    };
    client.on('error', (err: Error) => {
      failure ??= err;
      nudge();
    });
    client.on('close', () => {
      failure ??= new Error('the IMAP server closed the connection');
      nudge();
    });
    client.on('exists', () => {
      news = true;
      nudge();
    });
    const onAbort = () => {
      nudge();
      client.close();
    };
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    const check = () => {
      if (ctx.signal.aborted) throw new Error('stopped');
      if (failure) throw failure;
    };
    try {
      await client.connect();
      const box = await client.mailboxOpen(target.mailbox, { readOnly: !this.opts.markSeen });
      const uidValidity = Number(box.uidValidity);
      let cursor = readCursor(ctx.state);
      if (!cursor || cursor.uidValidity !== uidValidity) {
        if (cursor)
          this.opts.logger.warn(
            { inboxId: this.opts.inboxId, was: cursor.uidValidity, now: uidValidity },
            'UIDVALIDITY changed: taking the sync window in again (known messages are skipped)',
          );
        cursor = {
          uidValidity,
          lastUid: 0,
          initial: {
            since: new Date(Date.now() - this.opts.firstSyncDays * DAY).toISOString(),
            // Servers send UIDNEXT; without it (0), the window is whatever the search finds.
            until: Math.max(0, (Number(box.uidNext) || 1) - 1),
          },
        };
        await ctx.saveState({ ...cursor });
      }
      ctx.health('connected', undefined, cursor.initial ? { phase: 'initial' } : undefined);
      if (cursor.initial) cursor = await this.initialSync(client, ctx, cursor, check);
      while (!ctx.signal.aborted) {
        news = false;
        cursor = await this.takeNew(client, ctx, cursor, check);
        check();
        if (news) continue;
        // IDLE until the server reports new mail, IDLE times out (restarted, and a re-check), the
        // connection fails or the receiver is stopped. The next command ends the IDLE.
        const idle = client.idle().catch((err: unknown) => {
          failure ??= err instanceof Error ? err : new Error(String(err));
        });
        await Promise.race([idle, new Promise<void>((resolve) => (wake = resolve))]);
        wake = undefined;
        check();
        // Mail often comes in bursts: a short pause gathers it into one batch instead of one
        // fetch (and one commit) per message, and keeps out of the way of whoever is delivering.
        if (news) await pause(this.opts.settleMs ?? 200, ctx.signal);
      }
    } catch (err) {
      if (ctx.signal.aborted) return;
      const message = redact((err as Error).message || String(err), target.password);
      this.opts.logger.warn(
        { inboxId: this.opts.inboxId, reason: message },
        'IMAP receiver failed; reconnecting with backoff',
      );
      throw new Error(`IMAP: ${message}`);
    } finally {
      ctx.signal.removeEventListener('abort', onAbort);
      client.close();
    }
  }

  /** The window's messages, oldest UID first, with progress on the inbox's health. */
  private async initialSync(
    client: ImapFlow,
    ctx: ReceiverContext,
    cursor: ImapCursor,
    check: () => void,
  ): Promise<ImapCursor> {
    const initial = cursor.initial!;
    const found = await client.search({ since: new Date(initial.since) }, { uid: true });
    const limit = initial.until > 0 ? initial.until : Number.MAX_SAFE_INTEGER;
    const all = (found || []).filter((uid) => uid <= limit).sort((a, b) => a - b);
    const total = all.length;
    let imported = all.filter((uid) => uid <= cursor.lastUid).length;
    const pending = all.filter((uid) => uid > cursor.lastUid);
    this.opts.logger.info(
      { inboxId: this.opts.inboxId, total, since: initial.since, remaining: pending.length },
      'first sync of the mailbox',
    );
    ctx.health('connected', undefined, { phase: 'initial', imported, total });
    let current = cursor;
    await this.take(client, ctx, pending, check, async (events, lastUid, count) => {
      imported += count;
      current = { ...current, lastUid: Math.max(current.lastUid, lastUid) };
      await ctx.deliver(events, { ...current });
      ctx.health('connected', undefined, { phase: 'initial', imported, total });
    });
    // Everything up to where the window ended is covered now (older mail is left out on purpose).
    current = {
      uidValidity: current.uidValidity,
      lastUid: Math.max(current.lastUid, initial.until),
    };
    await ctx.saveState({ ...current });
    ctx.health('connected', undefined, {
      phase: 'live',
      imported,
      total,
      syncedAt: new Date().toISOString(),
    });
    return current;
  }

  private async takeNew(
    client: ImapFlow,
    ctx: ReceiverContext,
    cursor: ImapCursor,
    check: () => void,
  ): Promise<ImapCursor> {
    const found = await client.search({ uid: `${cursor.lastUid + 1}:*` }, { uid: true });
    // `n:*` matches the last message even when its UID is below n (RFC 3501 6.4.8).
    const uids = (found || []).filter((uid) => uid > cursor.lastUid).sort((a, b) => a - b);
    let current = cursor;
    await this.take(client, ctx, uids, check, async (events, lastUid) => {
      current = { ...current, lastUid: Math.max(current.lastUid, lastUid) };
      await ctx.deliver(events, { ...current });
    });
    return current;
  }

  /**
   * Fetches these UIDs in batches (by count and by size, so a mailbox of any size streams
   * through in bounded memory), parses each message and hands each batch on.
   */
  private async take(
    client: ImapFlow,
    ctx: ReceiverContext,
    uids: number[],
    check: () => void,
    commit: (events: ParsedEvent[], lastUid: number, count: number) => Promise<void>,
  ): Promise<void> {
    if (!uids.length) return;
    const batchSize = this.opts.batchSize ?? 100;
    const batchBytes = this.opts.batchBytes ?? 16 * 1024 * 1024;
    const sizes = new Map<number, number>();
    for (let i = 0; i < uids.length; i += 1000) {
      const chunk = uids.slice(i, i + 1000);
      for await (const m of client.fetch(chunk.join(','), { uid: true, size: true }, { uid: true }))
        sizes.set(m.uid, m.size ?? 0);
      check();
    }
    let batch: number[] = [];
    let bytes = 0;
    const flush = async () => {
      if (!batch.length) return;
      const list = batch;
      batch = [];
      bytes = 0;
      await this.fetchBatch(client, ctx, list, check, commit);
    };
    for (const uid of uids) {
      if (!sizes.has(uid)) continue; // expunged since the search
      const size = sizes.get(uid)!;
      if (batch.length && (batch.length >= batchSize || bytes + size > batchBytes)) await flush();
      batch.push(uid);
      bytes += size;
    }
    await flush();
  }

  private async fetchBatch(
    client: ImapFlow,
    ctx: ReceiverContext,
    uids: number[],
    check: () => void,
    commit: (events: ParsedEvent[], lastUid: number, count: number) => Promise<void>,
  ): Promise<void> {
    const parsed: { uid: number; outcome: Promise<ParseOutcome> }[] = [];
    const query = { uid: true, source: true, internalDate: true } as const;
    for await (const m of client.fetch(uids.join(','), query, { uid: true })) {
      if (!m.source) continue;
      const date = m.internalDate instanceof Date ? m.internalDate : undefined;
      const outcome = this.opts.parse(m.source, date);
      // Parsed while the rest of the batch arrives; a parse never throws (it says "skipped").
      outcome.catch(() => undefined);
      parsed.push({ uid: m.uid, outcome });
    }
    check();
    parsed.sort((a, b) => a.uid - b.uid);
    const events: ParsedEvent[] = [];
    for (const { uid, outcome } of parsed) {
      let result: ParseOutcome;
      try {
        result = await outcome;
      } catch (err) {
        result = { skipped: `could not be parsed: ${(err as Error).message}`, notes: [] };
      }
      for (const note of result.notes)
        this.opts.logger.warn({ inboxId: this.opts.inboxId, uid }, `e-mail: ${note}`);
      if ('skipped' in result) {
        this.opts.logger.info(
          { inboxId: this.opts.inboxId, uid, reason: result.skipped },
          'e-mail not taken in',
        );
        continue;
      }
      events.push(...result.events);
    }
    // The cursor stops before the first UID that did not come back: if it was expunged, the next
    // search skips it; if the answer was cut short, it is fetched again.
    const received = new Set(parsed.map((p) => p.uid));
    const missing = uids.find((uid) => !received.has(uid));
    const lastUid = missing === undefined ? Math.max(...uids) : missing - 1;
    await commit(events, lastUid, received.size);
    if (this.opts.markSeen) await client.messageFlagsAdd(uids.join(','), ['\\Seen'], { uid: true });
    if (ctx.signal.aborted) throw new Error('stopped');
  }
}
