/// <reference lib="webworker" />
/**
 * The load-simulation worker: runs one job at a time in slices of ~20 ms, yielding to the message
 * loop between slices (a MessageChannel round trip, not a clamped timer) so that cancellations and
 * newer jobs are seen within one slice.
 */
import { SimJobRunner, type SimCommand, type SimEvent } from '../engine/sim/job';

const channel = new MessageChannel();
const waiting: Array<() => void> = [];
channel.port1.onmessage = () => waiting.shift()?.();
const yieldToLoop = () =>
  new Promise<void>((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(0);
  });

const runner = new SimJobRunner({ sliceMs: 20, progressMs: 50, yieldToLoop });
const post = (e: SimEvent) => (self as unknown as Worker).postMessage(e);

self.onmessage = (e: MessageEvent<SimCommand>) => {
  void runner.handle(e.data, post);
};
