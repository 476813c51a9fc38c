import { getBezierPath, Position, type InternalNode } from '@xyflow/react';
import { describe, expect, it } from 'vitest';
import { curvePath, edgeCurve, edgeEnds, pointAt, sample } from './edgeGeometry';

const nums = (path: string) => (path.match(/-?\d+(\.\d+)?(e-?\d+)?/g) ?? []).map(Number);
const ends = { sourceX: 10, sourceY: 20, targetX: 310, targetY: 140, sourcePosition: Position.Right, targetPosition: Position.Left };

describe('edge curves', () => {
  it("a single edge is React Flow's default Bézier, label included", () => {
    const c = edgeCurve(ends);
    const [path, labelX, labelY] = getBezierPath(ends);
    expect(nums(curvePath(c))).toEqual(nums(path));
    expect([c.labelX, c.labelY]).toEqual([labelX, labelY]);
  });

  it('parallel edges bow to either side; an inner edge ends in a straight line from its label slot', () => {
    const a = edgeCurve(ends, { slot: 0, slots: 2 });
    const b = edgeCurve(ends, { slot: 1, slots: 2 });
    const mid = (c: typeof a) => pointAt(sample(c.segments), 0.5);
    // The chord's midpoint is (160, 80); the two curves pass on opposite sides of it.
    const side = (p: number[]) => Math.sign((p[0] - 160) * 120 - (p[1] - 80) * 300);
    expect(side(mid(a))).toBe(-side(mid(b)));
    const inner = edgeCurve(ends, { slot: 0, slots: 1, inner: true });
    expect(inner.segments).toHaveLength(2);
    expect([inner.labelX, inner.labelY]).toEqual([296, 140]);
    expect(inner.segments[1].slice(6)).toEqual([310, 140]);
  });

  it('samples a curve by arc length: even speed along a straight line, direction of travel', () => {
    const s = sample(edgeCurve({ ...ends, sourceY: 0, targetY: 0 }, { slot: 0, slots: 1, inner: false }).segments);
    expect(s.at[s.at.length - 1]).toBeCloseTo(300, 3);
    const [x, y, a] = pointAt(s, 0.25);
    expect(x).toBeCloseTo(85, 0);
    expect(y).toBeCloseTo(0, 6);
    expect(a).toBeCloseTo(0, 6);
    expect(pointAt(s, 0)[0]).toBeCloseTo(10, 6);
    expect(pointAt(s, 1)[0]).toBeCloseTo(310, 6);
  });

  it("places the ends on the handles' measured bounds, else on the node's sides", () => {
    const node = (x: number, y: number, handles?: object) =>
      ({ internals: { positionAbsolute: { x, y }, handleBounds: handles, z: 0, userNode: {} }, measured: { width: 200, height: 60 }, data: { card: { x: 10, y: 10, width: 100, height: 40 } } }) as unknown as InternalNode;
    const measured = node(0, 0, { source: [{ id: 'out', x: 196, y: 25, width: 9, height: 9, position: Position.Right }], target: [{ id: 'in', x: -5, y: 25, width: 9, height: 9, position: Position.Left }] });
    expect(edgeEnds(measured, 'out', measured, 'in')).toMatchObject({ sourceX: 205, sourceY: 29.5, targetX: -5, targetY: 29.5 });
    const bare = node(100, 50);
    expect(edgeEnds(bare, 'out', bare, 'in')).toMatchObject({ sourceX: 300, sourceY: 80, targetX: 100, targetY: 80 });
    expect(edgeEnds(bare, 'route', bare, 'in')).toMatchObject({ sourceX: 210, sourceY: 80 });
  });
});
