import { connect, createServer, type Socket } from 'node:net';

/** How a connection is cut: 'close' ends it cleanly (FIN), 'reset' aborts it (TCP RST). */
export type CutMode = 'close' | 'reset';

export interface ImapProxy {
  port: number;
  /** The same imap:// URL, going through the proxy instead of straight to the server. */
  via(imapUrl: string): string;
  /** Connections open through the proxy right now. */
  readonly openConnections: number;
  /** Drops every open connection at once. */
  cutAll(mode?: CutMode): void;
  /**
   * Arms a one-shot cut: the next time the server sends bytes matching `pattern` (e.g.
   * /\* \d+ FETCH/), the client receives the data up to the end of the match and then the
   * connection is cut, so the client is left in the middle of that response. Resolves on the cut.
   */
  cutOnServerData(pattern: RegExp, mode?: CutMode): Promise<void>;
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  server: Socket;
  /** The last bytes from the server, so a match split over two chunks is still found. */
  tail: string;
  /** Set once cut: the client side then ends on its own (its last bytes may be on the way). */
  cut: boolean;
}

interface ArmedCut {
  pattern: RegExp;
  mode: CutMode;
  done: () => void;
}

const TAIL = 256;

function cut(pair: Pair, mode: CutMode, lastBytes?: Buffer): void {
  pair.cut = true;
  pair.server.destroy();
  if (mode === 'reset') {
    pair.client.resetAndDestroy();
  } else if (lastBytes) {
    pair.client.end(lastBytes);
  } else {
    pair.client.end();
  }
}

/**
 * A TCP proxy on 127.0.0.1 (free port) in front of an IMAP server, which a test uses to drop a
 * client's connection at a chosen moment.
 */
export async function startImapProxy(
  targetPort: number,
  targetHost = '127.0.0.1',
): Promise<ImapProxy> {
  const pairs = new Set<Pair>();
  let armed: ArmedCut | undefined;

  const proxy = createServer((client) => {
    const server = connect(targetPort, targetHost);
    const pair: Pair = { client, server, tail: '', cut: false };
    pairs.add(pair);
    const forget = () => {
      pairs.delete(pair);
      if (pair.cut) return;
      client.destroy();
      server.destroy();
    };
    client.on('error', forget).on('close', forget);
    server.on('error', forget).on('close', forget);
    client.pipe(server);
    server.on('data', (chunk: Buffer) => {
      if (pair.cut) return;
      const cutNow = armed;
      if (cutNow) {
        // latin1 maps each byte to one character, so string offsets are byte offsets.
        const text = pair.tail + chunk.toString('latin1');
        const match = cutNow.pattern.exec(text);
        if (match) {
          armed = undefined;
          const end = match.index + match[0].length - pair.tail.length;
          cut(pair, cutNow.mode, chunk.subarray(0, Math.max(0, end)));
          cutNow.done();
          return;
        }
      }
      pair.tail = (pair.tail + chunk.toString('latin1')).slice(-TAIL);
      if (!client.write(chunk)) {
        server.pause();
        client.once('drain', () => server.resume());
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    proxy.once('error', reject);
    proxy.listen(0, '127.0.0.1', () => resolve());
  });
  const address = proxy.address();
  if (!address || typeof address === 'string') throw new Error('the IMAP proxy has no port');
  const port = address.port;

  return {
    port,
    via(imapUrl) {
      const url = new URL(imapUrl);
      url.hostname = '127.0.0.1';
      url.port = String(port);
      return url.toString();
    },
    get openConnections() {
      return pairs.size;
    },
    cutAll(mode = 'reset') {
      for (const pair of pairs) cut(pair, mode);
    },
    cutOnServerData(pattern, mode = 'close') {
      return new Promise<void>((resolve) => {
        // Without the g flag exec() starts at 0 every time.
        armed = {
          pattern: new RegExp(pattern.source, pattern.flags.replace('g', '')),
          mode,
          done: resolve,
        };
      });
    },
    close() {
      for (const pair of pairs) cut(pair, 'reset');
      return new Promise<void>((resolve) => proxy.close(() => resolve()));
    },
  };
}
