/** The edge log: counts and latencies folded in batches come out exactly as counting each request on its edge at once. */
import { describe, expect, it } from 'vitest';
import { XorShift32 } from '../rng';
import { EdgeLog } from './edgelog';
import { CountChunks } from './histogram';
import { EdgeRec } from './records';
import type { EdgeCount } from './types';

const edge = (id: number, chunks: CountChunks) => new EdgeRec(id, {} as EdgeCount, chunks);

describe('EdgeLog', () => {
  it('folds several batches (40,000 requests over 5 edges) into the counts and histograms direct counting gives, sums bit for bit', () => {
    const chunks = new CountChunks();
    const logged = [0, 1, 2, 3, 4].map((i) => edge(i, chunks));
    const direct = [0, 1, 2, 3, 4].map((i) => edge(i, chunks));
    const log = new EdgeLog(logged);
    const rng = new XorShift32(7);
    for (let i = 0; i < 40_000; i++) {
      const id = rng.nextInt(5);
      const st = [200, 200, 404, 503, 1001][rng.nextInt(5)];
      log.count(id, st);
      const d = direct[id];
      d.requests++;
      if (st >= 500) d.errors++;
      else if (st >= 400) d.clientErrors++;
      // Mirrors (and a gateway hop answering a mirror) record no latency.
      if (rng.nextInt(4) > 0) {
        const ms = rng.next() * 50 + (id === 3 ? 1000 : 0);
        log.latency(ms);
        d.add(ms);
      }
    }
    log.flush();
    for (let id = 0; id < 5; id++) {
      const [a, b] = [logged[id], direct[id]];
      expect([a.requests, a.errors, a.clientErrors]).toEqual([b.requests, b.errors, b.clientErrors]);
      expect(a.requests).toBeGreaterThan(7000);
      expect(Array.from(a.st)).toEqual(Array.from(b.st));
      expect(Array.from(a.counts)).toEqual(Array.from(b.counts));
    }
    // Flushing again adds nothing.
    log.flush();
    expect(logged[0].requests).toBe(direct[0].requests);
  });
});
