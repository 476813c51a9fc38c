/** Open from URL: what is accepted and how each refusal reads. */
import { describe, expect, it } from 'vitest';
import { checkUrl, fetchYaml } from './fetchYaml';

const serve = (body: BodyInit | null, init: ResponseInit = {}) => (async () => new Response(body, init)) as unknown as typeof fetch;

describe('fetchYaml', () => {
  it('returns the text of a raw YAML file', async () => {
    const r = await fetchYaml('https://example.com/d.yaml', serve('kind: Service\n', { headers: { 'content-type': 'text/plain; charset=utf-8' } }));
    expect(r).toEqual({ ok: true, text: 'kind: Service\n', url: 'https://example.com/d.yaml' });
  });

  it('refuses other schemes and non-addresses', async () => {
    expect(checkUrl('javascript:alert(1)')).toMatch(/Only http and https/);
    expect(checkUrl('data:text/plain,kind')).toMatch(/Only http and https/);
    expect(checkUrl('not a url')).toMatch(/full address/);
    expect(await fetchYaml('file:///etc/passwd', serve('x'))).toEqual({ ok: false, message: expect.stringMatching(/Only http and https/) });
  });

  it('refuses a web page, a binary type, an error status, and a network failure', async () => {
    expect(await fetchYaml('https://github.com/a/b/blob/main/x.yaml', serve('<html>', { headers: { 'content-type': 'text/html' } }))).toMatchObject({ ok: false, message: expect.stringMatching(/web page.*Raw/) });
    expect(await fetchYaml('https://x.test/a.png', serve('x', { headers: { 'content-type': 'image/png' } }))).toMatchObject({ ok: false, message: expect.stringMatching(/image\/png/) });
    expect(await fetchYaml('https://x.test/a', serve('nope', { status: 404, statusText: 'Not Found' }))).toMatchObject({ ok: false, message: 'The server answered 404 Not Found.' });
    const down = (async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof fetch;
    expect(await fetchYaml('https://x.test/a', down)).toMatchObject({ ok: false, message: expect.stringMatching(/Could not reach x\.test.*CORS/) });
  });

  it('stops reading a body larger than the limit, whatever Content-Length says', async () => {
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(c) {
        pulled++;
        c.enqueue(new Uint8Array(64 * 1024));
      },
    });
    const r = await fetchYaml('https://x.test/big', serve(endless, { headers: { 'content-type': 'text/plain' } }), 1024 * 1024);
    expect(r).toMatchObject({ ok: false, message: expect.stringMatching(/larger than 1 MB/) });
    expect(pulled).toBeLessThan(20);
    expect(await fetchYaml('https://x.test/big', serve('x', { headers: { 'content-length': String(5 * 1024 * 1024) } }), 1024 * 1024)).toMatchObject({ ok: false, message: expect.stringMatching(/5\.0 MB/) });
  });

  it('refuses bytes that are not UTF-8', async () => {
    expect(await fetchYaml('https://x.test/a', serve(new Uint8Array([0xff, 0xfe, 0x00])))).toMatchObject({ ok: false, message: 'The file is not UTF-8 text.' });
  });
});
