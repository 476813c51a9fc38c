/**
 * Share links: a design (its YAML text and, optionally, the positions the user dragged nodes to) carried in the URL
 * fragment, so no server sees it. `#d=v1.<base64url(deflate(JSON))>`.
 *
 * Decoding never trusts the link: the version is read before anything is decompressed, the fragment and the inflated
 * size are bounded (a zip bomb stops at the limit), bytes must be UTF-8 and the JSON must have exactly the expected
 * shape. The text that comes out is only ever YAML for the editor, never HTML. Pure: runs in Node tests too.
 */
import { deflateSync, Inflate } from 'fflate';

export const SHARE_VERSION = 1;
/** The longest fragment read (characters): far above any real design, far below what hurts. */
export const MAX_FRAGMENT_CHARS = 1024 * 1024;
/** The largest design a link may carry, inflated (the editor reads designs up to 2 MB). */
export const MAX_PAYLOAD_BYTES = 2 * 1024 * 1024;
/** Links longer than this may be cut by chat apps and mail clients: the share dialog says so. */
export const LONG_LINK_CHARS = 8000;

export type Positions = Record<string, { x: number; y: number }>;

export interface SharedDesign {
  text: string;
  /** Manual node positions (view state); absent when the link carries none. */
  positions?: Positions;
}

export type DecodeError = 'none' | 'newer' | 'unknown-version' | 'too-large' | 'corrupt';

export type DecodeResult = { ok: true; design: SharedDesign } | { ok: false; error: DecodeError; message: string };

const PARAM = 'd';

// ---- base64url ----

export function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(s: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(s) || s.length % 4 === 1) return undefined;
  try {
    const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4));
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return undefined;
  }
}

// ---- bounded inflate ----

/** Inflates raw DEFLATE data, stopping as soon as the output passes `limit` bytes. */
export function inflateBounded(data: Uint8Array, limit: number): { bytes: Uint8Array } | { error: 'too-large' | 'corrupt' } {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const inflate = new Inflate((chunk) => {
    total += chunk.length;
    if (total <= limit) chunks.push(chunk);
  });
  const STEP = 4096; // at most ~4 MB of output per step (DEFLATE expands at most ~1032:1)
  try {
    for (let i = 0; i < data.length; i += STEP) {
      inflate.push(data.subarray(i, i + STEP), i + STEP >= data.length);
      if (total > limit) return { error: 'too-large' };
    }
    if (data.length === 0) return { error: 'corrupt' };
  } catch {
    return { error: 'corrupt' };
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  return { bytes };
}

// ---- payload ----

function isPositions(v: unknown): v is Positions {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  return Object.values(v).every(
    (p) => p && typeof p === 'object' && Object.keys(p).length === 2 && Number.isFinite((p as { x: unknown }).x) && Number.isFinite((p as { y: unknown }).y),
  );
}

const fail = (error: DecodeError, message: string): DecodeResult => ({ ok: false, error, message });

const MESSAGES = {
  newer: (v: number) => `This link was made by a newer Meshcraft (share format v${v}; this version reads v${SHARE_VERSION}). Reload the page to get the latest Meshcraft, then open the link again.`,
  unknown: 'This link is not a Meshcraft share link (its format is unknown).',
  fragment: `This link is too long to be a Meshcraft design (over ${MAX_FRAGMENT_CHARS / 1024 / 1024} MB of link text).`,
  inflated: `The design in this link is larger than ${MAX_PAYLOAD_BYTES / 1024 / 1024} MB, the most Meshcraft opens.`,
  corrupt: 'This link is damaged: its design could not be read (it may have been cut short or changed). Ask for the link again.',
};

/** The design as the data part of a link (without `#d=`). */
export function encodeDesign(design: SharedDesign): string {
  const payload: SharedDesign = { text: design.text };
  if (design.positions && Object.keys(design.positions).length) payload.positions = design.positions;
  const bytes = new TextEncoder().encode(JSON.stringify(payload));
  return `v${SHARE_VERSION}.${toBase64Url(deflateSync(bytes, { level: 9 }))}`;
}

/** `#d=v1.…` for a design. */
export const shareFragment = (design: SharedDesign) => `#${PARAM}=${encodeDesign(design)}`;

/** Why a design cannot travel in a link (one its reader would refuse), or undefined when it can. */
export function shareProblem(design: SharedDesign, data: string): string | undefined {
  const bytes = new TextEncoder().encode(JSON.stringify(design)).length;
  if (bytes > MAX_PAYLOAD_BYTES || data.length > MAX_FRAGMENT_CHARS)
    return `This design is too large for a link (${(bytes / 1024 / 1024).toFixed(1)} MB; links carry up to ${MAX_PAYLOAD_BYTES / 1024 / 1024} MB). Export it as a YAML file instead.`;
  return undefined;
}

/** Reads the data part of a link (`v1.…`). */
export function decodeDesign(data: string): DecodeResult {
  if (data.length > MAX_FRAGMENT_CHARS) return fail('too-large', MESSAGES.fragment);
  const m = /^v(\d{1,6})\.(.*)$/s.exec(data);
  if (!m) return fail('unknown-version', MESSAGES.unknown);
  const version = Number(m[1]);
  if (version > SHARE_VERSION) return fail('newer', MESSAGES.newer(version));
  if (version !== SHARE_VERSION) return fail('unknown-version', MESSAGES.unknown);
  const compressed = fromBase64Url(m[2]);
  if (!compressed) return fail('corrupt', MESSAGES.corrupt);
  const inflated = inflateBounded(compressed, MAX_PAYLOAD_BYTES);
  if ('error' in inflated) return inflated.error === 'too-large' ? fail('too-large', MESSAGES.inflated) : fail('corrupt', MESSAGES.corrupt);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(inflated.bytes));
  } catch {
    return fail('corrupt', MESSAGES.corrupt);
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) return fail('corrupt', MESSAGES.corrupt);
  const { text, positions, ...rest } = json as Record<string, unknown>;
  if (typeof text !== 'string' || Object.keys(rest).length) return fail('corrupt', MESSAGES.corrupt);
  if (positions !== undefined && !isPositions(positions)) return fail('corrupt', MESSAGES.corrupt);
  return { ok: true, design: positions ? { text, positions } : { text } };
}

/** The share data in a URL fragment (`#d=…`, possibly among other `&`-separated parameters), if any. */
export function fragmentData(hash: string): string | undefined {
  const body = hash.replace(/^#/, '');
  for (const part of body.split('&')) if (part.startsWith(`${PARAM}=`)) return part.slice(PARAM.length + 1);
  return undefined;
}

/** Reads a URL fragment: `{ok:false, error:'none'}` when it carries no design. */
export function decodeFragment(hash: string): DecodeResult {
  const data = fragmentData(hash);
  return data === undefined ? fail('none', '') : decodeDesign(data);
}
