/**
 * The base every API stand-in is built on: an HTTP server on 127.0.0.1 with a random port, a route
 * table, a record of every request, and helpers for the answers real APIs give (errors, 429, slow).
 * Test code only; production code never talks to it except through a URL input.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
  /** The bytes as received (compressed bodies stay compressed). */
  rawBody: Buffer;
  json: unknown;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  json?: unknown;
  text?: string;
  /** Binary body (a download), sent as is. */
  bytes?: Buffer;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Destroy the socket without answering (ECONNRESET at the client). */
  reset?: boolean;
}

export type Handler = (req: RecordedRequest, params: Record<string, string>) => Reply | Promise<Reply>;

interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: Handler;
}

export class StandIn {
  readonly requests: RecordedRequest[] = [];
  #routes: Route[] = [];
  #server: Server | undefined;
  #sockets = new Set<import('node:net').Socket>();
  /** Replies queued ahead of the routes, e.g. a 502 then normal service. */
  readonly queue: Reply[] = [];
  /**
   * Requests (and our own answers) the vendor's contract does not allow. `stop()` throws when there
   * are any, so a test whose code sent one fails even if its assertions pass.
   */
  readonly violations: string[] = [];
  url = '';

  /** A contract stand-in's check of a request; a reply here is what the vendor answers a bad request. */
  protected checkRequest(_req: RecordedRequest): Reply | undefined {
    return undefined;
  }

  /** A contract stand-in's check of its own answer against the documented response. */
  protected checkAnswer(_req: RecordedRequest, _reply: Reply): void {}

  /** `path` may contain `:name` segments and end with a `*name` that takes the rest (slashes too). */
  route(method: string, path: string, handler: Handler): this {
    const keys: string[] = [];
    const source = path.replace(/\/$/, '').replace(/([:*])([A-Za-z_]+)/g, (_, kind: string, k: string) => {
      keys.push(k);
      return kind === '*' ? '(.+)' : '([^/]+)';
    });
    this.#routes.push({ method: method.toUpperCase(), pattern: new RegExp(`^${source}/?$`), keys, handler });
    return this;
  }

  async start(): Promise<this> {
    this.#server = createServer((req, res) => void this.#handle(req, res));
    this.#server.on('connection', (s) => {
      this.#sockets.add(s);
      s.on('close', () => this.#sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
    if (this.violations.length > 0) {
      const list = this.violations.splice(0);
      throw new Error(
        `${this.constructor.name}: calls (or answers) the vendor's contract does not allow:\n${list.join('\n')}`,
      );
    }
  }

  /** Requests made to a path (exact, or matching a RegExp). */
  calls(method: string, path: string | RegExp): RecordedRequest[] {
    return this.requests.filter(
      (r) =>
        r.method === method.toUpperCase() && (typeof path === 'string' ? r.path === path : path.test(r.path)),
    );
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const rawBody = Buffer.concat(chunks);
    const body = rawBody.toString('utf8');
    const url = new URL(req.url ?? '/', 'http://stand-in');
    let json: unknown;
    try {
      json = body ? JSON.parse(body) : undefined;
    } catch {
      json = undefined;
    }
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
      rawBody,
      json,
    };
    this.requests.push(recorded);
    let reply: Reply;
    const rejected = this.checkRequest(recorded);
    const queued = rejected ? undefined : this.queue.shift();
    if (rejected) reply = rejected;
    else if (queued) reply = queued;
    else {
      const path = url.pathname.replace(/\/$/, '') || '/';
      const route = this.#routes.find((r) => r.method === recorded.method && r.pattern.test(path));
      if (!route)
        reply = { status: 404, json: { message: `stand-in has no route ${recorded.method} ${path}` } };
      else {
        const m = route.pattern.exec(path)!;
        const params = Object.fromEntries(route.keys.map((k, i) => [k, decodeURIComponent(m[i + 1] ?? '')]));
        try {
          reply = await route.handler(recorded, params);
        } catch (err) {
          reply = { status: 500, json: { message: `stand-in handler failed: ${(err as Error).message}` } };
        }
      }
    }
    if (!rejected && !queued) this.checkAnswer(recorded, reply);
    if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
    if (reply.reset) {
      req.socket.destroy();
      return;
    }
    const headers: Record<string, string> = { ...reply.headers };
    let text = reply.text ?? '';
    if (reply.json !== undefined) {
      text = JSON.stringify(reply.json);
      headers['content-type'] ??= 'application/json; charset=utf-8';
    }
    if (!res.destroyed) {
      res.writeHead(reply.status ?? 200, headers);
      res.end(reply.bytes ?? text);
    }
  }
}
