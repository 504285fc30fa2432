/**
 * Sentry's ingestion endpoint as an SDK sees it: POST /api/<project>/envelope/ with an envelope
 * (newline-delimited JSON: envelope header, then item header + payload pairs; gzip when the SDK
 * compresses), answered 200 like Sentry does. Point a DSN at it: http://<key>@127.0.0.1:<port>/<project>.
 * Format: https://develop.sentry.dev/sdk/data-model/envelopes/
 */
import { gunzipSync } from 'node:zlib';
import { StandIn } from './server.js';

export interface EnvelopeItem {
  type: string;
  payload: Record<string, unknown>;
}

export class SentryEnvelopeStandIn extends StandIn {
  readonly items: EnvelopeItem[] = [];
  readonly key = 'publickey0123456789';

  constructor() {
    super();
    this.route('POST', '/api/:project/envelope', (req) => {
      const raw =
        req.headers['content-encoding'] === 'gzip' ? gunzipSync(req.rawBody).toString('utf8') : req.body;
      const lines = raw.split('\n').filter((l) => l.trim() !== '');
      for (let i = 1; i + 1 < lines.length; i += 2) {
        const header = JSON.parse(lines[i]!) as { type: string };
        let payload: Record<string, unknown> = {};
        try {
          payload = JSON.parse(lines[i + 1]!) as Record<string, unknown>;
        } catch {
          // attachments are not JSON
        }
        this.items.push({ type: header.type, payload });
      }
      return { status: 200, json: { id: 'standin' } };
    });
  }

  dsn(project = '1'): string {
    return `${this.url.replace('://', `://${this.key}@`)}/${project}`;
  }

  /** Error events received so far. */
  events(): Array<Record<string, unknown> & { tags?: Record<string, string>; release?: string }> {
    return this.items.filter((i) => i.type === 'event').map((i) => i.payload);
  }
}
