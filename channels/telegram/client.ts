import { AbortController as FetchAbortController } from 'abort-controller';
import { Telegram } from 'telegraf';
import type { Opts, Telegram as Methods } from 'telegraf/types';

/**
 * The Bot API through telegraf's client, with a standard AbortSignal. telegraf (node-fetch 2)
 * types its signal as the `abort-controller` polyfill, which the platform's AbortSignal is not
 * assignable to: a polyfill controller follows ours for the duration of the call.
 */
export class BotApi {
  readonly telegram: Telegram;

  constructor(
    readonly token: string,
    readonly apiRoot: string,
  ) {
    this.telegram = new Telegram(token, { apiRoot });
  }

  async call<M extends keyof Methods>(
    method: M,
    payload: Opts<M>,
    signal: AbortSignal,
  ): Promise<ReturnType<Methods[M]>> {
    const follower = new FetchAbortController();
    const abort = () => follower.abort();
    if (signal.aborted) follower.abort();
    else signal.addEventListener('abort', abort, { once: true });
    try {
      return await this.telegram.callApi(method, payload, { signal: follower.signal });
    } finally {
      signal.removeEventListener('abort', abort);
    }
  }
}
