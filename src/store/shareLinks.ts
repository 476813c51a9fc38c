/**
 * Share links in the app: the link for the current design, and opening a link's design — at start-up and when the
 * fragment changes. A design replaces the current one only once it has been decoded and found to hold resources;
 * a bad link leaves the design untouched and says why.
 */
import { decodeFragment, encodeDesign, shareProblem } from '../share/codec';
import { fetchYaml } from '../share/fetchYaml';
import { prepareImport } from './importDesign';
import { notify } from './shareUi';
import { useStore } from './store';

/** The link for the current design, or why there can be none. */
export function shareLink(includePositions: boolean): { link: string } | { problem: string } {
  const { text, manual } = useStore.getState();
  const design = includePositions ? { text, positions: manual } : { text };
  const data = encodeDesign(design);
  const problem = shareProblem(design, data);
  if (problem) return { problem };
  return { link: `${location.origin}${location.pathname}${location.search}#d=${data}` };
}

/** Called with the design a link or URL brought, once it is known to be good. */
export type OpenDesign = (text: string, positions: Record<string, { x: number; y: number }> | undefined, source: string) => void;

const replaceDesign: OpenDesign = (text, positions) => {
  const s = useStore.getState();
  useStore.setState({ manual: positions ?? {} });
  s.setText(text, 'load');
};

let openDesign: OpenDesign = replaceDesign;
/** Where opened designs go (the design switcher opens them as a new named design). */
export const setDesignOpener = (fn: OpenDesign) => {
  openDesign = fn;
};

/** Checks that text reads as a design with at least one resource; returns the reason when it does not. */
async function checkDesign(text: string, source: string): Promise<string | undefined> {
  if (!text.trim()) return `The ${source} holds an empty design.`;
  const candidate = await prepareImport(text, source);
  if (!candidate) return undefined; // superseded by a newer import: nothing to say
  if (!candidate.keys.length) return `The ${source} holds no Kubernetes or Istio resources${candidate.errors[0] ? ` (${candidate.errors[0]})` : ''}.`;
  return undefined;
}

const clearFragment = () => history.replaceState(history.state, '', `${location.pathname}${location.search}`);

/** Opens the design in a URL fragment, if there is one. Resolves to true when a design was opened. */
export async function openFragment(hash: string): Promise<boolean> {
  const result = decodeFragment(hash);
  if (!result.ok && result.error === 'none') return false;
  clearFragment();
  if (!result.ok) {
    notify(`Share link not opened: ${result.message} Your current design is unchanged.`, 'error');
    return false;
  }
  const problem = await checkDesign(result.design.text, 'share link');
  if (problem) {
    notify(`Share link not opened: ${problem} Your current design is unchanged.`, 'error');
    return false;
  }
  openDesign(result.design.text, result.design.positions, 'share link');
  notify('Opened the design from the share link.');
  return true;
}

/** Opens a fragment present now, and any fragment the user pastes into the address bar later. */
export function startShareLinks(): () => void {
  void openFragment(location.hash);
  const onHash = () => void openFragment(location.hash);
  window.addEventListener('hashchange', onHash);
  return () => window.removeEventListener('hashchange', onHash);
}

/** Open from URL: resolves to an error message, or undefined once the design is open. */
export async function openFromUrl(url: string): Promise<string | undefined> {
  const r = await fetchYaml(url);
  if (!r.ok) return r.message;
  const problem = await checkDesign(r.text, 'file');
  if (problem) return problem;
  openDesign(r.text, undefined, new URL(r.url).pathname.split('/').pop() || r.url);
  notify(`Opened ${r.url}.`);
  return undefined;
}
