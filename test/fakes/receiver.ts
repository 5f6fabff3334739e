import type { IncomingHttpHeaders } from 'node:http';
import { listen, readRaw } from '../helpers/fakes/http';

export interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A stand-in for our server's webhook endpoint: records requests, answers as told. */
export async function startReceiver(
  answer: (req: Received) => { status: number; json?: unknown } = () => ({ status: 200 }),
) {
  const received: Received[] = [];
  const listening = await listen(
    async (req, res) => {
      const entry: Received = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body: (await readRaw(req)).toString('utf8'),
      };
      received.push(entry);
      const { status, json } = answer(entry);
      if (json === undefined) {
        res.writeHead(status, { 'content-type': 'text/plain' });
        res.end('');
      } else {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(json));
      }
    },
    (_err, res) => {
      res.writeHead(500);
      res.end();
    },
  );
  return { url: listening.url, received, close: listening.close };
}
