// The streaming percentiles must give exactly what sorting every value gives, after every value.
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { percentile, StreamingPercentile } from '../../../actions/health-gate/src/stats.js';

describe('StreamingPercentile', () => {
  const PERCENTILES = [1, 33.3, 50, 90, 95, 99, 100];

  function agreesOnEveryPrefix(values: readonly number[], label: string) {
    const trackers = PERCENTILES.map((p) => new StreamingPercentile(p));
    for (const t of trackers) assert.equal(t.value(), undefined);
    for (let n = 1; n <= values.length; n++) {
      const prefix = values.slice(0, n);
      for (const t of trackers) {
        t.add(values[n - 1] as number);
        assert.equal(t.value(), percentile(prefix, t.p), `${label}: p${t.p} of the first ${n}`);
        assert.equal(t.count, n);
      }
    }
  }

  test('ascending, descending, all equal and alternating extremes', () => {
    const n = 300;
    agreesOnEveryPrefix(
      Array.from({ length: n }, (_, i) => i),
      'ascending',
    );
    agreesOnEveryPrefix(
      Array.from({ length: n }, (_, i) => n - i),
      'descending',
    );
    agreesOnEveryPrefix(Array(50).fill(7), 'all equal');
    agreesOnEveryPrefix(
      Array.from({ length: n }, (_, i) => (i % 2 ? 1000 + i : -i)),
      'alternating',
    );
  });

  test('random latencies with many ties and fractions', () => {
    let seed = 42;
    const next = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    for (let run = 0; run < 20; run++) {
      const values = Array.from({ length: 400 }, () =>
        next() < 0.7 ? Math.floor(next() * 30) : next() * 5000,
      );
      agreesOnEveryPrefix(values, `run ${run}`);
    }
  });
});
