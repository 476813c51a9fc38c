/** Geometry of the docked inspector. Pure. */

export const MARGIN = 24;

export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** How far to move [from, to] so that it shows in [areaFrom, areaTo] with a margin; 0 when it already does. */
function shift(from: number, to: number, areaFrom: number, areaTo: number): number {
  if (from >= areaFrom + MARGIN / 2 && to <= areaTo - MARGIN / 2) return 0;
  const room = areaTo - areaFrom - 2 * MARGIN;
  if (to - from > room) return from + (to - from) / 2 - (areaFrom + (areaTo - areaFrom) / 2); // centre it
  return to > areaTo - MARGIN / 2 ? to - (areaTo - MARGIN) : from - (areaFrom + MARGIN);
}

/**
 * How far to pan the view (subtracted from the viewport's x and y) so that `box` shows in `area`, both in screen
 * pixels: nothing when it shows already, just enough when it sticks out, centred when it is larger than the area.
 */
export function panIntoView(box: Box, area: Box): { dx: number; dy: number } {
  return { dx: shift(box.left, box.right, area.left, area.right), dy: shift(box.top, box.bottom, area.top, area.bottom) };
}
