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

/** `next`, or `prev` when it says the same (so that what is derived from it need not be derived again). */
export function sameProblems(prev: Map<string, ElementProblems> | undefined, next: Map<string, ElementProblems>): Map<string, ElementProblems> {
  if (!prev || prev.size !== next.size) return next;
  for (const [id, p] of next) {
    const q = prev.get(id);
    if (!q || q.level !== p.level || q.messages.length !== p.messages.length || q.messages.some((m, i) => m !== p.messages[i])) return next;
  }
  return prev;
}
