/**
 * Exports of the current design: the YAML file, a zip with one file per resource, and PNG/SVG images of the canvas.
 * The images follow React Flow's "download image" recipe: the bounds of all nodes, a viewport that fits them
 * (getNodesBounds / getViewportForBounds), and html-to-image on the `.react-flow__viewport` element with that
 * transform — so the picture shows the whole mesh whatever the user's pan and zoom. The canvas first draws every
 * node in the DOM at full detail (a large design draws only what is in view, or its overview on a <canvas>).
 */
import { getNodesBounds, getViewportForBounds, type Node } from '@xyflow/react';
import { resourceFiles, zipFiles } from '../share/zip';
import { downloadDesign } from './importDesign';
import { notify } from './shareUi';
import { useStore } from './store';

export function downloadBlob(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export const exportYaml = () => downloadDesign(useStore.getState().text);

export function exportZip() {
  const files = resourceFiles(useStore.getState().text);
  if (!files.length) return notify('The design has no resources to export.', 'error');
  downloadBlob(new Blob([zipFiles(files) as Uint8Array<ArrayBuffer>], { type: 'application/zip' }), 'meshcraft-design.zip');
  notify(`Exported ${files.length} resource file${files.length === 1 ? '' : 's'} as meshcraft-design.zip.`);
}

const PADDING = 40;
/**
 * The CSS properties that draw our canvas. html-to-image copies every computed property of every element by default
 * (about 350 each: a 12 MB SVG and half a minute on a small machine); these few give the same picture.
 */
const STYLE_PROPERTIES = [
  ...['display', 'position', 'top', 'left', 'right', 'bottom', 'width', 'height', 'min-width', 'min-height', 'max-width', 'max-height', 'box-sizing', 'overflow', 'overflow-x', 'overflow-y', 'z-index', 'visibility', 'opacity'],
  ...['margin-top', 'margin-right', 'margin-bottom', 'margin-left', 'padding-top', 'padding-right', 'padding-bottom', 'padding-left'],
  ...['flex-direction', 'flex-wrap', 'flex-grow', 'flex-shrink', 'flex-basis', 'align-items', 'align-self', 'justify-content', 'gap', 'row-gap', 'column-gap'],
  ...['color', 'background-color', 'box-shadow', 'transform', 'transform-origin', 'pointer-events', 'cursor'],
  ...['border-top-width', 'border-right-width', 'border-bottom-width', 'border-left-width', 'border-top-style', 'border-right-style', 'border-bottom-style', 'border-left-style'],
  ...['border-top-color', 'border-right-color', 'border-bottom-color', 'border-left-color', 'border-top-left-radius', 'border-top-right-radius', 'border-bottom-left-radius', 'border-bottom-right-radius'],
  ...['font-family', 'font-size', 'font-weight', 'font-style', 'line-height', 'letter-spacing', 'text-transform', 'text-align', 'text-overflow', 'white-space', 'vertical-align'],
  ...['fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-opacity', 'stroke-dasharray', 'stroke-linecap', 'stroke-linejoin'],
];
const MAX_SIDE = 4000;

/** Every node on the canvas as React Flow nodes with absolute positions, read from the rendered canvas. */
function renderedNodes(root: HTMLElement): Node[] {
  return [...root.querySelectorAll<HTMLElement>('.react-flow__node')].map((el, i) => {
    const m = /translate\(\s*(-?[\d.]+)px\s*,\s*(-?[\d.]+)px\s*\)/.exec(el.style.transform);
    return { id: el.dataset.id ?? String(i), position: { x: m ? Number(m[1]) : 0, y: m ? Number(m[2]) : 0 }, data: {}, measured: { width: el.offsetWidth, height: el.offsetHeight } };
  });
}

const SVG_PROPERTIES = ['stroke', 'stroke-width', 'stroke-dasharray', 'stroke-opacity', 'fill', 'fill-opacity', 'opacity', 'display', 'visibility'];

/**
 * html-to-image copies an inline <svg> as it is, without the computed styles of its shapes, and the stylesheet does
 * not travel into the picture: edges would lose their stroke. Write the computed paint onto each shape for the
 * capture; the returned function puts the original style attributes back.
 */
function inlineSvgPaint(scope: HTMLElement): () => void {
  const saved: [Element, string | null][] = [];
  for (const el of scope.querySelectorAll<SVGElement>('svg *')) {
    const computed = getComputedStyle(el);
    saved.push([el, el.getAttribute('style')]);
    for (const prop of SVG_PROPERTIES) el.style.setProperty(prop, computed.getPropertyValue(prop));
  }
  return () => {
    for (const [el, style] of saved) {
      if (style === null) el.removeAttribute('style');
      else el.setAttribute('style', style);
    }
  };
}

/** Makes the canvas draw all of the design in the DOM; resolves to the function that lets it go back. */
export type CanvasCapture = (root: HTMLElement) => Promise<() => void>;
let capture: CanvasCapture | undefined;
/** Called by the canvas. */
export const setCanvasCapture = (fn: CanvasCapture | undefined) => {
  capture = fn;
};

const svgBlob = (url: string) => new Blob([decodeURIComponent(url.slice(url.indexOf(',') + 1))], { type: 'image/svg+xml' });

export async function exportImage(format: 'png' | 'svg') {
  const root = document.querySelector<HTMLElement>('.react-flow');
  if (!root || !capture) return notify('There is nothing on the canvas to export yet.', 'error');
  notify(`Drawing the ${format.toUpperCase()} image of the canvas…`);
  const release = await capture(root);
  try {
    await drawImage(root, format);
  } finally {
    release();
  }
}

async function drawImage(root: HTMLElement, format: 'png' | 'svg') {
  const viewportEl = root.querySelector<HTMLElement>('.react-flow__viewport');
  const nodes = renderedNodes(root);
  if (!viewportEl || !nodes.length) return notify('There is nothing on the canvas to export yet.', 'error');
  const bounds = getNodesBounds(nodes);
  const scale = Math.min(1, MAX_SIDE / Math.max(bounds.width + 2 * PADDING, bounds.height + 2 * PADDING));
  const width = Math.round((bounds.width + 2 * PADDING) * scale);
  const height = Math.round((bounds.height + 2 * PADDING) * scale);
  const viewport = getViewportForBounds(bounds, width, height, 0.1, 2, `${PADDING * scale}px`);
  const background = getComputedStyle(root).getPropertyValue('--bg').trim() || getComputedStyle(root).backgroundColor;
  const { toBlob, toSvg } = await import('html-to-image');
  const options = {
    backgroundColor: background,
    width,
    height,
    pixelRatio: format === 'png' ? 2 : 1,
    skipFonts: true,
    includeStyleProperties: STYLE_PROPERTIES,
    // Connection handles are for editing, not for the picture; nor is the dot grid (in the viewport, MeshCanvas).
    filter: (el: HTMLElement) => !el.classList?.contains('react-flow__handle') && !el.classList?.contains('dot-grid'),
    style: { width: `${width}px`, height: `${height}px`, transform: `translate(${viewport.x}px, ${viewport.y}px) scale(${viewport.zoom})` },
  };
  const restorePaint = inlineSvgPaint(viewportEl);
  try {
    // The PNG straight from the canvas, the SVG out of its data URL (fetching a data URL of megabytes takes seconds).
    const blob = format === 'png' ? await toBlob(viewportEl, options) : svgBlob(await toSvg(viewportEl, options));
    if (!blob) throw new Error('the browser drew no picture');
    downloadBlob(blob, `meshcraft-design.${format}`);
    notify(`Exported the canvas as meshcraft-design.${format}.`);
  } catch (e) {
    notify(`Could not draw the image: ${(e as Error).message}`, 'error');
  } finally {
    restorePaint();
  }
}
