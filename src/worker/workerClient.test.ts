import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { latestOnlyClient, WorkerTimeoutError } from './workerClient';

/** A worker that records what it is sent and answers when the test says so. */
class FakeWorker {
  static made: FakeWorker[] = [];
  sent: { id: number; n: number }[] = [];
  terminated = false;
  onmessage?: (e: { data: unknown }) => void;
  onerror?: (e: { message: string; preventDefault(): void }) => void;
  constructor() {
    FakeWorker.made.push(this);
  }
  postMessage(m: { id: number; n: number }) {
    this.sent.push(m);
  }
  terminate() {
    this.terminated = true;
  }
  answer(i = this.sent.length - 1) {
    const { id, n } = this.sent[i];
    this.onmessage?.({ data: { id, result: n * 10 } });
  }
}

const client = () => latestOnlyClient<{ n: number }, number>({ create: () => new FakeWorker() as unknown as Worker, fallback: ({ n }) => n, timeoutMs: 1000, describe: 'test' });

describe('latestOnlyClient (one job in the worker at a time, only the newest request waits)', () => {
  beforeEach(() => {
    FakeWorker.made = [];
    vi.stubGlobal('Worker', FakeWorker);
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it('requests made while the worker is busy are not sent; when it answers, only the newest one is started', async () => {
    const c = client();
    const a = c.run({ n: 1 });
    const b = c.run({ n: 2 });
    const d = c.run({ n: 3 });
    const w = FakeWorker.made[0];
    expect(w.sent.map((m) => m.n)).toEqual([1]);
    expect(await a).toBeUndefined();
    expect(await b).toBeUndefined();
    w.answer(0); // the superseded job's answer is dropped, and frees the worker
    expect(w.sent.map((m) => m.n)).toEqual([1, 3]);
    w.answer(1);
    expect(await d).toBe(30);
  });

  it('encode: what is posted for a request is asked for at the time it is posted, and knows whether the worker is new', async () => {
    const posted: [number, boolean][] = [];
    const c = latestOnlyClient<{ n: number }, number>({
      create: () => new FakeWorker() as unknown as Worker, fallback: ({ n }) => n, timeoutMs: 1000, describe: 'test',
      encode: ({ n }, fresh) => (posted.push([n, fresh]), { n: n + 100 }),
    });
    const a = c.run({ n: 1 });
    void c.run({ n: 2 }); // superseded while waiting: never encoded
    const b = c.run({ n: 3 });
    FakeWorker.made[0].answer(0);
    expect(await a).toBeUndefined();
    expect(FakeWorker.made[0].sent.map((m) => m.n)).toEqual([101, 103]);
    FakeWorker.made[0].answer(1);
    expect(await b).toBe(1030);
    // A crash replaces the worker: the next post is to a fresh one.
    const d = c.run({ n: 4 }).catch((e) => e);
    FakeWorker.made[0].onerror?.({ message: 'boom', preventDefault() {} });
    await d;
    void c.run({ n: 5 });
    expect(posted).toEqual([[1, true], [3, false], [4, false], [5, true]]);
  });

  it('a stuck job is stopped after the timeout: the worker is replaced and the queued request starts in the new one', async () => {
    const c = client();
    const a = c.run({ n: 1 });
    const caught = a.catch((e) => e);
    vi.advanceTimersByTime(1000);
    expect(await caught).toBeInstanceOf(WorkerTimeoutError);
    expect(FakeWorker.made[0].terminated).toBe(true);
    const b = c.run({ n: 2 });
    c.run({ n: 3 }).catch(() => undefined);
    const x = c.run({ n: 4 });
    expect(await b).toBeUndefined();
    // Stuck again on 2 (superseded): no error for anyone, the newest request runs in a fresh worker.
    vi.advanceTimersByTime(1000);
    expect(FakeWorker.made[1].terminated).toBe(true);
    expect(FakeWorker.made[2].sent.map((m) => m.n)).toEqual([4]);
    FakeWorker.made[2].answer();
    expect(await x).toBe(40);
  });

  it('a crash rejects the waiting request with a clear message and the next request gets a new worker', async () => {
    const c = client();
    const a = c.run({ n: 1 }).catch((e: Error) => e.message);
    FakeWorker.made[0].onerror?.({ message: 'boom', preventDefault() {} });
    expect(await a).toMatch(/test worker crashed \(boom\).*nothing was lost/);
    const b = c.run({ n: 5 });
    FakeWorker.made[1].answer();
    expect(await b).toBe(50);
  });
});
