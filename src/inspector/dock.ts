/** Geometry of the docked inspector. Pure. */

export const MARGIN = 24;

/** How far to pan left so that [left, right] shows in [areaLeft, areaRight]; 0 when it already does. */
export function panToShow(left: number, right: number, areaLeft: number, areaRight: number): number {
  if (right <= areaRight - MARGIN / 2) return 0;
  const room = areaRight - areaLeft - 2 * MARGIN;
  if (right - left > room) return left + (right - left) / 2 - (areaLeft + (areaRight - areaLeft) / 2); // centre it
  return right - (areaRight - MARGIN);
}

/** The dock's width, kept between what its forms need and what leaves the canvas usable. */
export const clampWidth = (w: number, min = 280, max = 640) => Math.max(min, Math.min(max, Math.round(w)));
