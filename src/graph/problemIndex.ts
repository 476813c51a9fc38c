/** Analyzer findings by canvas element, for badges: the worst level and the messages. Pure. */
import type { Level, Message } from '../analysis/types';
import { elementAt } from './lookup';
import type { MeshGraph } from './types';

export interface ElementProblems {
  level: Level;
  messages: string[];
}

const RANK: Record<Level, number> = { Info: 0, Warning: 1, Error: 2 };

export function problemsByElement(graph: MeshGraph, problems: readonly Message[]): Map<string, ElementProblems> {
  const out = new Map<string, ElementProblems>();
  for (const p of problems) {
    const hit = elementAt(graph, p.key, p.path);
    if (!hit) continue;
    const cur = out.get(hit.id);
    const text = `${p.code}: ${p.message}`;
    if (!cur) out.set(hit.id, { level: p.level, messages: [text] });
    else {
      cur.messages.push(text);
      if (RANK[p.level] > RANK[cur.level]) cur.level = p.level;
    }
  }
  return out;
}
