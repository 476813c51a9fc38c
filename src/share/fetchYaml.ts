/**
 * "Open from URL": fetch a raw YAML file. Only http(s), a size cap enforced while reading (not only from
 * Content-Length), a text content type (a web page is refused with a hint), a timeout. Pure apart from `fetch`,
 * which is passed in.
 */
export const MAX_URL_BYTES = 2 * 1024 * 1024;
const TIMEOUT_MS = 15_000;

export type FetchResult = { ok: true; text: string; url: string } | { ok: false; message: string };

const TEXT_TYPES = /^(text\/(plain|yaml|x-yaml)|application\/(yaml|x-yaml|json|octet-stream)|binary\/octet-stream)$/;

export function checkUrl(input: string): URL | string {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return 'Enter a full address, starting with https://';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `Only http and https addresses can be opened (not ${url.protocol.replace(':', '')}).`;
  return url;
}

export async function fetchYaml(input: string, fetchImpl: typeof fetch = fetch, limit = MAX_URL_BYTES): Promise<FetchResult> {
  const url = checkUrl(input);
  if (typeof url === 'string') return { ok: false, message: url };
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), TIMEOUT_MS);
  try {
    let res: Response;
    try {
      res = await fetchImpl(url.href, { signal: abort.signal, credentials: 'omit', redirect: 'follow', headers: { Accept: 'application/yaml, text/yaml, text/plain;q=0.9, */*;q=0.1' } });
    } catch {
      return { ok: false, message: abort.signal.aborted ? 'The server did not answer within 15 seconds.' : `Could not reach ${url.host}. The server may be down, or it does not allow other sites to read the file (CORS).` };
    }
    if (!res.ok) return { ok: false, message: `The server answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''}.` };
    const type = (res.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
    if (type === 'text/html' || type === 'application/xhtml+xml') return { ok: false, message: 'This address returns a web page, not YAML. Use the link to the raw file (on GitHub: the "Raw" button).' };
    if (type && !TEXT_TYPES.test(type)) return { ok: false, message: `This address returns ${type}, not a YAML text file.` };
    const declared = Number(res.headers.get('content-length'));
    if (declared > limit) return { ok: false, message: `The file is ${(declared / 1024 / 1024).toFixed(1)} MB; Meshcraft opens designs up to ${limit / 1024 / 1024} MB.` };
    const bytes = await readCapped(res, limit);
    if (!bytes) return { ok: false, message: `The file is larger than ${limit / 1024 / 1024} MB, the most Meshcraft opens.` };
    try {
      return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), url: url.href };
    } catch {
      return { ok: false, message: 'The file is not UTF-8 text.' };
    }
  } catch {
    return { ok: false, message: abort.signal.aborted ? 'The server did not answer within 15 seconds.' : 'The download broke off.' };
  } finally {
    clearTimeout(timer);
  }
}

/** The body, or undefined as soon as it passes `limit` bytes (the rest is not downloaded). */
async function readCapped(res: Response, limit: number): Promise<Uint8Array | undefined> {
  if (!res.body) return new Uint8Array(await res.arrayBuffer());
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
