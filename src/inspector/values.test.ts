import { describe, expect, it } from 'vitest';
import { panIntoView } from './dock';
import { checkPodLabels, newServer } from './forms';
import { duration, formatLabels, formatList, HOST, integer, labels, list, parseRetryOn, percent, readPercentage, setIn, text, withPercentage } from './values';
import { currentWeights, evenWeights, rebalance } from './weights';

describe('input validation', () => {
  it('durations need a unit and a positive length; empty removes', () => {
    expect(duration('5s')).toEqual({ ok: true, value: '5s' });
    expect(duration(' 100ms ')).toEqual({ ok: true, value: '100ms' });
    expect(duration('1m30s')).toEqual({ ok: true, value: '1m30s' });
    expect(duration('')).toEqual({ ok: true, value: undefined });
    expect(duration('5')).toEqual({ ok: false, error: 'Add a unit: 5s or 5ms.' });
    expect(duration('five seconds')).toEqual({ ok: false, error: 'Enter a duration like 5s, 100ms or 1m30s.' });
    expect(duration('0s')).toEqual({ ok: false, error: 'A duration must be longer than 0.' });
  });

  it('percentages are 0–100, decimals allowed, a % sign tolerated', () => {
    expect(percent('50')).toEqual({ ok: true, value: 50 });
    expect(percent('0.5')).toEqual({ ok: true, value: 0.5 });
    expect(percent('25 %')).toEqual({ ok: true, value: 25 });
    expect(percent('')).toEqual({ ok: true, value: undefined });
    expect(percent('101')).toEqual({ ok: false, error: 'A percentage is at most 100.' });
    expect(percent('-1').ok).toBe(false);
    expect(percent('half').ok).toBe(false);
  });

  it('integers within bounds', () => {
    const port = integer(1, 65535, 'a port');
    expect(port('8080')).toEqual({ ok: true, value: 8080 });
    expect(port('0')).toEqual({ ok: false, error: 'Must be from 1 to 65535.' });
    expect(port('80.5')).toEqual({ ok: false, error: 'Enter a port from 1 to 65535.' });
    expect(integer(1)('0')).toEqual({ ok: false, error: 'Must be at least 1.' });
    expect(integer(0)('')).toEqual({ ok: true, value: undefined });
  });

  it('text: required and patterns', () => {
    expect(text({ required: 'Needs a name.' })('  ')).toEqual({ ok: false, error: 'Needs a name.' });
    expect(text()(' x ')).toEqual({ ok: true, value: 'x' });
    expect(text({ pattern: HOST })('bad host!')).toEqual({ ok: false, error: 'not a host name' });
  });

  it('lists and labels read and print back', () => {
    expect(list(HOST)('shop.example.com, *.example.org\nmy-service')).toEqual({ ok: true, value: ['shop.example.com', '*.example.org', 'my-service'] });
    expect(list(HOST)('a.com, not valid')).toEqual({ ok: false, error: '"not valid": not a host name' });
    expect(list()(' , ')).toEqual({ ok: true, value: undefined });
    expect(formatList(['a', 'b'])).toBe('a, b');
    expect(labels('app=web, version=v1')).toEqual({ ok: true, value: { app: 'web', version: 'v1' } });
    expect(labels('istio=ingressgateway')).toEqual({ ok: true, value: { istio: 'ingressgateway' } });
    expect(labels('app')).toEqual({ ok: false, error: '"app": write labels as key=value.' });
    expect(labels('app=a b').ok).toBe(false);
    expect(labels('')).toEqual({ ok: true, value: undefined });
    expect(formatLabels({ app: 'web', version: 'v1' })).toBe('app=web, version=v1');
  });

  it('retryOn takes Envoy retry conditions and status codes', () => {
    expect(parseRetryOn('5xx, connect-failure,503')).toEqual({ ok: true, value: '5xx,connect-failure,503' });
    expect(parseRetryOn('sometimes').ok).toBe(false);
    expect(parseRetryOn('')).toEqual({ ok: true, value: undefined });
  });

  it('pod labels must keep the selector', () => {
    expect(checkPodLabels({ app: 'checkout' }, { app: 'checkout', tier: 'web' })).toBeUndefined();
    expect(checkPodLabels({ app: 'checkout' }, { tier: 'web' })).toBe('The selector needs app=checkout: keep it in the labels.');
  });
});

describe('form values → YAML values', () => {
  it('setIn replaces one place, keeps key order and drops maps left empty', () => {
    const fault = { delay: { percentage: { value: 10 }, fixedDelay: '2s' }, abort: { percentage: { value: 50 }, httpStatus: 503 } };
    const next = setIn(fault, ['abort', 'percentage', 'value'], 20)!;
    expect(next).toEqual({ delay: fault.delay, abort: { percentage: { value: 20 }, httpStatus: 503 } });
    expect(Object.keys(next.abort as object)).toEqual(['percentage', 'httpStatus']);
    expect(fault.abort.percentage.value).toBe(50); // not mutated
    expect(next.delay).toBe(fault.delay); // untouched branches are shared
    expect(setIn({ tcp: { maxConnections: 1 } }, ['tcp', 'maxConnections'], undefined)).toBeUndefined();
    expect(setIn({ tcp: { maxConnections: 1 }, http: { maxRetries: 2 } }, ['tcp', 'maxConnections'], undefined)).toEqual({ http: { maxRetries: 2 } });
    expect(setIn(undefined, ['http', 'http2MaxRequests'], 100)).toEqual({ http: { http2MaxRequests: 100 } });
  });

  it('percentages: read either form, write percentage.value', () => {
    expect(readPercentage({ percentage: { value: 10 } })).toBe(10);
    expect(readPercentage({ percent: 7 })).toBe(7);
    expect(readPercentage(undefined)).toBeUndefined();
    expect(withPercentage({ percent: 7, httpStatus: 500 }, 9)).toEqual({ httpStatus: 500, percentage: { value: 9 } });
    expect(withPercentage({ percentage: { value: 3 }, fixedDelay: '1s' }, undefined)).toEqual({ fixedDelay: '1s' });
  });

  it('a new gateway server: HTTPS on 443 for the same hosts, else HTTP on a free port', () => {
    const http = { port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['shop.example.com'] };
    expect(newServer([http])).toEqual({ port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['shop.example.com'], tls: { mode: 'SIMPLE', credentialName: 'my-credential' } });
    expect(newServer([http, newServer([http])]).port).toEqual({ number: 8080, name: 'http-8080', protocol: 'HTTP' });
  });
});

describe('linked weights', () => {
  it('the others absorb a change, last first, and the sum stays 100', () => {
    expect(rebalance([90, 10], 0, 75)).toEqual([75, 25]);
    expect(rebalance([50, 30, 20], 0, 70)).toEqual([70, 30, 0]);
    expect(rebalance([50, 30, 20], 0, 90)).toEqual([90, 10, 0]);
    expect(rebalance([50, 30, 20], 2, 10)).toEqual([50, 40, 10]);
    expect(rebalance([90, 10], 1, 150)).toEqual([0, 100]);
    expect(rebalance([90, 10], 0, -5)).toEqual([0, 100]);
    expect(rebalance([90, 10], 0, Number.NaN)).toEqual([0, 100]);
    for (const [w, i, v] of [[[34, 33, 33], 1, 12], [[0, 0, 100], 0, 37], [[25, 25, 25, 25], 3, 99]] as [number[], number, number][]) {
      expect(rebalance(w, i, v).reduce((a, b) => a + b, 0)).toBe(100);
    }
  });

  it('even splits and current weights', () => {
    expect(evenWeights(3)).toEqual([34, 33, 33]);
    expect(currentWeights([{}])).toEqual([100]);
    expect(currentWeights([{ weight: 90 }, { weight: 10 }])).toEqual([90, 10]);
    expect(currentWeights([{ weight: 90 }, {}])).toEqual([90, 0]);
  });
});

describe('the dock', () => {
  const area = { left: 0, top: 0, right: 500, bottom: 400 };
  const box = (left: number, right: number, top = 100, bottom = 150) => ({ left, right, top, bottom });
  it('pans just enough to show a selection out of the canvas; centres one too large to fit', () => {
    expect(panIntoView(box(100, 200), area)).toEqual({ dx: 0, dy: 0 });
    // Pushed out on the right by the dock: moved left until it ends a margin before the edge.
    expect(panIntoView(box(450, 560), area)).toEqual({ dx: 84, dy: 0 });
    // Out on the left and at the top: moved right and down.
    expect(panIntoView(box(-50, 50, -30, 20), area)).toEqual({ dx: -74, dy: -54 });
    // Wider than the canvas: its middle goes to the middle.
    expect(panIntoView(box(-100, 900), area)).toEqual({ dx: 150, dy: 0 });
  });
});
