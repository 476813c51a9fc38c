import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEW, LIMITS, parseView } from './view';

describe('stored view state', () => {
  it('reads back what was saved', () => {
    const saved = { ...DEFAULT_VIEW, inspectorWidth: 400, drawerCollapsed: true, chartHeight: 220, loadFormCollapsed: true };
    expect(parseView(JSON.stringify(saved))).toEqual(saved);
  });

  it('falls back to the defaults for missing, broken or foreign storage', () => {
    expect(parseView(null)).toEqual(DEFAULT_VIEW);
    expect(parseView('{not json')).toEqual(DEFAULT_VIEW);
    expect(parseView('[1,2]')).toEqual(DEFAULT_VIEW);
    expect(parseView('"text"')).toEqual(DEFAULT_VIEW);
  });

  it('keeps sizes in their range and ignores unknown keys and wrong types', () => {
    const v = parseView(JSON.stringify({ inspectorWidth: 5, drawerHeight: 1e9, chartHeight: 'tall', editorCollapsed: 'yes', requestFormCollapsed: true, other: 1 }));
    expect(v.inspectorWidth).toBe(LIMITS.inspectorWidth.min);
    expect(v.drawerHeight).toBe(LIMITS.drawerHeight.max);
    expect(v.chartHeight).toBe(DEFAULT_VIEW.chartHeight);
    expect(v.editorCollapsed).toBe(false);
    expect(v.requestFormCollapsed).toBe(true);
    expect('other' in v).toBe(false);
  });
});
