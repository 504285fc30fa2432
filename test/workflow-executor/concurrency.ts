/**
 * GitHub's concurrency model, as far as the rehearsal needs it: per group, at most one run in
 * progress and, by default (`queue: single`), at most ONE pending — a newer pending run cancels the
 * older pending one (docs: "Using concurrency": "any previously pending job or workflow in the
 * concurrency group will be canceled"); with `queue: max` every waiting run is kept, in order. A run that waits on a group its own caller holds is a deadlock, which GitHub
 * cancels; we fail it with that sentence.
 */
import { WorkflowError } from './expressions.js';

export interface ConcurrencyEvent {
  group: string;
  who: string;
  what: 'queued' | 'acquired' | 'released' | 'cancelled';
  at: number;
}

interface Pending {
  who: string;
  resolve: (release: () => void) => void;
  reject: (err: Error) => void;
}

/** Thrown to a pending run that a newer run in the same group replaced. */
export class CancelledByConcurrency extends Error {
  override name = 'CancelledByConcurrency';
}

/** One ledger per "repository": runs that share it contend for the same groups. */
export class ConcurrencyLedger {
  readonly events: ConcurrencyEvent[] = [];
  readonly #running = new Map<string, string>();
  readonly #pending = new Map<string, Pending[]>();

  /**
   * Waits for the group; resolves with the release function. `held` are the groups the caller's
   * chain (the workflow that called this one, its job) already holds.
   */
  async acquire(
    group: string,
    who: string,
    opts: { cancelInProgress: boolean; held: ReadonlySet<string>; queue?: 'single' | 'max' },
  ): Promise<() => void> {
    if (opts.cancelInProgress)
      throw new WorkflowError(
        `concurrency group "${group}": cancel-in-progress: true is not modelled by this executor`,
      );
    if (opts.held.has(group)) {
      throw new WorkflowError(
        `Canceling since a deadlock was detected for concurrency group "${group}": ${who} waits for the group its caller holds`,
      );
    }
    const release = () => this.#release(group, who);
    if (!this.#running.has(group)) {
      this.#running.set(group, who);
      this.#log(group, who, 'acquired');
      return release;
    }
    const waiting = this.#pending.get(group) ?? [];
    this.#pending.set(group, waiting);
    if (opts.queue !== 'max') {
      for (const older of waiting.splice(0)) {
        this.#log(group, older.who, 'cancelled');
        older.reject(
          new CancelledByConcurrency(
            `Canceling since a higher priority waiting request for "${group}" exists (${who})`,
          ),
        );
      }
    }
    this.#log(group, who, 'queued');
    return new Promise((resolve, reject) => waiting.push({ who, resolve, reject }));
  }

  #release(group: string, who: string): void {
    if (this.#running.get(group) !== who) return;
    this.#running.delete(group);
    this.#log(group, who, 'released');
    const next = this.#pending.get(group)?.shift();
    if (next) {
      this.#running.set(group, next.who);
      this.#log(group, next.who, 'acquired');
      next.resolve(() => this.#release(group, next.who));
    }
  }

  #log(group: string, who: string, what: ConcurrencyEvent['what']): void {
    this.events.push({ group, who, what, at: performance.now() });
  }
}
