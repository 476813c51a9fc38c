/** Collects explanation steps for a trace. Only the trace path creates one; the fast path passes null. */
import type { FieldPath, ResourceKey } from '../model/resource';
import type { ExplanationStep, StepKind } from './types';

export class Explainer {
  readonly steps: ExplanationStep[] = [];
  hop = -1;

  add(kind: StepKind, message: string, resource?: ResourceKey | null, path?: FieldPath | null): void {
    const s: ExplanationStep = { hop: this.hop, kind, message };
    if (resource) s.resource = resource;
    if (resource && path) s.path = [...path];
    this.steps.push(s);
  }
}
