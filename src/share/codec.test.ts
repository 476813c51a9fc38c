/** Share links: round trips, and every way a link can be bad is refused with a clear reason. */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { deflateSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { decodeDesign, decodeFragment, encodeDesign, fromBase64Url, inflateBounded, MAX_PAYLOAD_BYTES, shareFragment, shareProblem, toBase64Url, type DecodeResult } from './codec';

const primer = readFileSync(new URL('../examples/primer.yaml', import.meta.url), 'utf8');
const rawLink = (json: string, level = 6) => `v1.${toBase64Url(deflateSync(new TextEncoder().encode(json), { level: level as 6 }))}`;
const errorOf = (r: DecodeResult) => (r.ok ? 'ok' : r.error);

describe('share codec', () => {
  it('round-trips any text and positions: decode(encode(x)) == x', () => {
    const positions = fc.dictionary(fc.string({ maxLength: 30 }), fc.record({ x: fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => x + 0), y: fc.integer() }), { maxKeys: 8 });
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 2000 }), fc.option(positions, { nil: undefined }), (text, pos) => {
        const design = pos && Object.keys(pos).length ? { text, positions: pos } : { text };
        const r = decodeDesign(encodeDesign(design));
        expect(r).toEqual({ ok: true, design });
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips the primer, compressing it to a link of a few KB', () => {
    const data = encodeDesign({ text: primer, positions: { 'svc:default/my-service': { x: 10.5, y: -3 } } });
    expect(data).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
    expect(data.length).toBeLessThan(primer.length / 2);
    expect(decodeDesign(data)).toEqual({ ok: true, design: { text: primer, positions: { 'svc:default/my-service': { x: 10.5, y: -3 } } } });
  });

  it('reads the design from a URL fragment, among other parameters', () => {
    const frag = shareFragment({ text: 'kind: Service\n' });
    expect(frag.startsWith('#d=v1.')).toBe(true);
    expect(decodeFragment(frag)).toEqual({ ok: true, design: { text: 'kind: Service\n' } });
    expect(decodeFragment(`#x=1&${frag.slice(1)}`)).toEqual({ ok: true, design: { text: 'kind: Service\n' } });
    expect(errorOf(decodeFragment(''))).toBe('none');
    expect(errorOf(decodeFragment('#section-2'))).toBe('none');
  });

  it('base64url has no +, / or padding and rejects other characters', () => {
    const bytes = new Uint8Array([251, 255, 191, 0, 1]);
    const s = toBase64Url(bytes);
    expect(s).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(fromBase64Url(s)).toEqual(bytes);
    expect(fromBase64Url('ab+c')).toBeUndefined();
    expect(fromBase64Url('abcde')).toBeUndefined(); // a length no encoding produces
  });

  it('a link from a newer Meshcraft says so, before reading anything else', () => {
    const r = decodeDesign('v2.anything-at-all');
    expect(r).toMatchObject({ ok: false, error: 'newer' });
    expect(!r.ok && r.message).toMatch(/newer Meshcraft/);
  });

  it('an unknown format, broken base64, broken compression and a cut-short link are corrupt', () => {
    const good = encodeDesign({ text: primer });
    expect(errorOf(decodeDesign('hello'))).toBe('unknown-version');
    expect(errorOf(decodeDesign('v0.abc'))).toBe('unknown-version');
    expect(errorOf(decodeDesign('v1.%%%'))).toBe('corrupt');
    expect(errorOf(decodeDesign('v1.'))).toBe('corrupt');
    expect(errorOf(decodeDesign(good.slice(0, good.length - 40)))).toBe('corrupt');
    expect(errorOf(decodeDesign(`v1.${toBase64Url(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]))}`))).toBe('corrupt');
    // Tampering with a character in the middle: never a crash, and never a different design passed off silently as valid JSON.
    const mid = good.length >> 1;
    const tampered = good.slice(0, mid) + (good[mid] === 'A' ? 'B' : 'A') + good.slice(mid + 1);
    const r = decodeDesign(tampered);
    expect(r.ok ? r.design.text !== primer : r.error === 'corrupt').toBe(true);
  });

  it('JSON of the wrong shape is corrupt', () => {
    for (const json of ['[]', '"text"', '{}', '{"text": 3}', '{"text": "a", "extra": 1}', '{"text": "a", "positions": {"n": {"x": "1", "y": 2}}}', '{"text": "a", "positions": [1]}', 'not json']) {
      expect(errorOf(decodeDesign(rawLink(json))), json).toBe('corrupt');
    }
    // Invalid UTF-8 inside the compressed bytes.
    expect(errorOf(decodeDesign(`v1.${toBase64Url(deflateSync(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])))}`))).toBe('corrupt');
  });

  it('a 10 MB design (a zip bomb too) is refused once inflation passes 2 MB', () => {
    const big = encodeDesign({ text: 'x'.repeat(10 * 1024 * 1024) });
    expect(big.length).toBeLessThan(50_000); // small link, huge content
    const r = decodeDesign(big);
    expect(r).toMatchObject({ ok: false, error: 'too-large' });
    expect(!r.ok && r.message).toMatch(/larger than 2 MB/);
    expect(inflateBounded(deflateSync(new Uint8Array(50 * 1024 * 1024)), MAX_PAYLOAD_BYTES)).toEqual({ error: 'too-large' });
    // Just under the limit is fine.
    const near = 'y'.repeat(MAX_PAYLOAD_BYTES - 20);
    expect(decodeDesign(encodeDesign({ text: near }))).toEqual({ ok: true, design: { text: near } });
  });

  it('the sharer is told when a design is too large for a link, before anyone opens it', () => {
    const small = { text: primer };
    expect(shareProblem(small, encodeDesign(small))).toBeUndefined();
    const big = { text: 'z'.repeat(MAX_PAYLOAD_BYTES + 1) };
    expect(shareProblem(big, encodeDesign(big))).toMatch(/too large for a link .*Export it as a YAML file/);
  });

  it('an over-long fragment is refused without decoding', () => {
    expect(errorOf(decodeDesign(`v1.${'A'.repeat(1024 * 1024 + 1)}`))).toBe('too-large');
  });

  it('markup in the text stays text', () => {
    const text = '# <script>alert(1)</script>\nkind: Service\nmetadata: {name: "<img src=x onerror=alert(1)>"}\n';
    expect(decodeDesign(encodeDesign({ text }))).toEqual({ ok: true, design: { text } });
  });
});
