import fc from 'fast-check';
import { getViewportForBounds, type Rect, type Viewport } from '@xyflow/react';
import { describe, expect, it } from 'vitest';
import { fitViewport, type FitInput } from './fit';

/** A canvas of 800 × 420 (the drawer open) with the palette's box at its top left. */
const base = { width: 800, height: 420, palette: { x: 15, y: 15, width: 145, height: 180 }, padding: 0.12, minZoom: 0.05, maxZoom: 2.5 };

function boundsOf(boxes: Rect[]): Rect {
  const x = Math.min(...boxes.map((b) => b.x));
  const y = Math.min(...boxes.map((b) => b.y));
  return { x, y, width: Math.max(...boxes.map((b) => b.x + b.width)) - x, height: Math.max(...boxes.map((b) => b.y + b.height)) - y };
}

const input = (boxes: Rect[], over: Partial<FitInput> = {}): FitInput => ({ ...base, bounds: boundsOf(boxes), boxes, ...over });

function onScreen(b: Rect, vp: Viewport): Rect {
  return { x: b.x * vp.zoom + vp.x, y: b.y * vp.zoom + vp.y, width: b.width * vp.zoom, height: b.height * vp.zoom };
}

function under(b: Rect, p: Rect): boolean {
  return b.x < p.x + p.width && b.x + b.width > p.x && b.y < p.y + p.height && b.y + b.height > p.y;
}

describe('fitting the view clear of the palette', () => {
  // The example's layout: a client at the top left, a wide row below.
  const example = [
    { x: 0, y: 0, width: 135, height: 45 },
    { x: 0, y: 100, width: 120, height: 40 },
    { x: 200, y: 100, width: 150, height: 50 },
    { x: 0, y: 230, width: 150, height: 50 },
    { x: 240, y: 200, width: 480, height: 110 },
  ];

  it('a node the plain fit puts under the palette is moved clear of it, beside or below, whichever is larger', () => {
    const plain = getViewportForBounds(boundsOf(example), 800, 420, 0.05, 2.5, 0.12);
    expect(example.some((b) => under(onScreen(b, plain), base.palette))).toBe(true);
    const vp = fitViewport(input(example));
    expect(example.filter((b) => under(onScreen(b, vp), base.palette))).toEqual([]);
    const beside = getViewportForBounds(boundsOf(example), 800, 420, 0.05, 2.5, { top: 0.12, right: 0.12, bottom: 0.12, left: '172px' });
    const below = getViewportForBounds(boundsOf(example), 800, 420, 0.05, 2.5, { top: '207px', right: 0.12, bottom: 0.12, left: 0.12 });
    expect(vp).toEqual(beside.zoom >= below.zoom ? beside : below);
  });

  it('when nothing is under the palette, or there is none, the fit is the plain one', () => {
    // The left node low, the right one high: the palette's corner is empty.
    const row = [
      { x: 0, y: 200, width: 80, height: 30 },
      { x: 600, y: 0, width: 80, height: 30 },
    ];
    const plain = getViewportForBounds(boundsOf(row), 800, 420, 0.05, 2.5, 0.12);
    expect(fitViewport(input(row))).toEqual(plain);
    expect(fitViewport(input(example, { palette: null }))).toEqual(getViewportForBounds(boundsOf(example), 800, 420, 0.05, 2.5, 0.12));
  });

  it('whatever the layout, no node ends up under the palette (when the mesh can shrink enough)', () => {
    const box = fc.record({ x: fc.integer({ min: -2000, max: 2000 }), y: fc.integer({ min: -2000, max: 2000 }), width: fc.integer({ min: 20, max: 300 }), height: fc.integer({ min: 20, max: 120 }) });
    fc.assert(
      fc.property(fc.array(box, { minLength: 1, maxLength: 30 }), fc.integer({ min: 500, max: 1400 }), fc.integer({ min: 300, max: 900 }), (boxes, width, height) => {
        const vp = fitViewport(input(boxes, { width, height }));
        // At the zoom limit the mesh may not shrink enough; that is the only excuse.
        if (vp.zoom > base.minZoom) expect(boxes.filter((b) => under(onScreen(b, vp), base.palette))).toEqual([]);
      }),
    );
  });
});
