/**
 * The rehearsal's stand-in for Railway's edge: one public port whose traffic goes to whichever
 * service instance is active, and real service processes started per "deployment".
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A fault the rehearsal injects in front of a bad release (what a broken build would do). */
export interface Fault {
  /** Added latency per request, ms. */
  latencyMs?: number;
  /** Fraction of requests answered 503 instead of reaching the service. */
  errorRate?: number;
}

export interface Instance {
  name: string;
  port: number;
  fault?: Fault;
}

export class Router {
  #server: Server | undefined;
  active: Instance | undefined;
  url = '';
  #count = 0;

  async start(): Promise<this> {
    this.#server = createServer((req, res) => {
      const target = this.active;
      if (!target) {
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: 'error', message: 'Application failed to respond' }));
        return;
      }
      const fault = target.fault;
      const forward = () => {
        this.#count++;
        if (fault?.errorRate && this.#count % Math.round(1 / fault.errorRate) === 0) {
          res.writeHead(503, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ status: 'unhealthy', error: 'injected fault' }));
          return;
        }
        const upstream = request(
          { host: '127.0.0.1', port: target.port, path: req.url, method: req.method, headers: req.headers },
          (up) => {
            res.writeHead(up.statusCode ?? 502, up.headers);
            up.pipe(res);
          },
        );
        upstream.on('error', () => {
          if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ status: 'error', message: 'Application failed to respond' }));
        });
        req.pipe(upstream);
      };
      if (fault?.latencyMs) setTimeout(forward, fault.latencyMs);
      else forward();
    });
    await new Promise<void>((r) => this.#server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise<void>((r) => (this.#server ? this.#server.close(() => r()) : r()));
  }
}

export interface ServiceProcess {
  child: ChildProcess;
  port: number;
  log: () => string;
  /** Resolves true once /api/health answers 200, false if the process exits first or time runs out. */
  ready: Promise<boolean>;
  stop(): Promise<void>;
}

/** Starts the real DecisionLog service (a "deployment") on a free port. */
export function startService(opts: {
  command: string[];
  env: Record<string, string>;
  port: number;
  readyTimeoutMs?: number;
}): ServiceProcess {
  const [bin, ...args] = opts.command as [string, ...string[]];
  const child = spawn(bin, args, {
    env: { ...process.env, ...opts.env, PORT: String(opts.port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout?.on('data', (d) => (log += d));
  child.stderr?.on('data', (d) => (log += d));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const ready = (async () => {
    const deadline = Date.now() + (opts.readyTimeoutMs ?? 30_000);
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) return false;
      try {
        const res = await fetch(`http://127.0.0.1:${opts.port}/api/health`, {
          signal: AbortSignal.timeout(1000),
        });
        if (res.status === 200) return true;
      } catch {
        // not listening yet
      }
      await Promise.race([new Promise((r) => setTimeout(r, 150)), exited]);
    }
    return false;
  })();
  return {
    child,
    port: opts.port,
    log: () => log,
    ready,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(killer);
      }
    },
  };
}

export { freePort } from '../harness/net.js';

/**
 * One vendor origin in front of several stand-ins, chosen by path (Sentry serves its releases and
 * its issues APIs from one host; our stand-ins model them separately).
 */
export class PathFront {
  #server: Server | undefined;
  url = '';
  constructor(readonly pick: (path: string) => string) {}

  async start(): Promise<this> {
    this.#server = createServer((req, res) => {
      const target = new URL(this.pick(req.url ?? '/'));
      const upstream = request(
        { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.on('error', () => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
      req.pipe(upstream);
    });
    await new Promise<void>((r) => this.#server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise<void>((r) => (this.#server ? this.#server.close(() => r()) : r()));
  }
}
