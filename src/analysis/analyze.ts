/**
 * `analyze(model)`: every check over one design, in one pass of indexes (see context.ts). Pure and synchronous;
 * the UI runs it in the model worker after each edit, the CLI once per invocation.
 */
import type { MeshModel } from '../model/model';
import { pointer } from '../model/sourcemap';
import { checkDestinationRules } from './checks/destinationrules';
import { checkGateways } from './checks/gateways';
import { checkMtls } from './checks/mtls';
import { checkReachability } from './checks/reachability';
import { checkReferences } from './checks/references';
import { checkServices } from './checks/services';
import { checkValidation } from './checks/validation';
import { checkVirtualServices } from './checks/virtualservices';
import { checkWeights } from './checks/weights';
import { Ctx } from './context';
import { LEVEL_RANK, type AnalyzeOptions, type Message } from './types';

export function analyze(model: MeshModel, options: AnalyzeOptions = {}): Message[] {
  const ctx = new Ctx(model, options);
  checkValidation(ctx);
  checkReferences(ctx);
  checkReachability(ctx);
  checkWeights(ctx);
  checkVirtualServices(ctx);
  checkDestinationRules(ctx);
  checkGateways(ctx);
  checkServices(ctx);
  checkMtls(ctx);
  // Stable order: document order of the resource, then field, then severity.
  const order = new Map(model.resources.map((r, i) => [r.key, i]));
  return ctx.messages
    .map((m, i) => ({ m, i, p: pointer(m.path) }))
    .sort((a, b) => (order.get(a.m.key) ?? 0) - (order.get(b.m.key) ?? 0) || (a.p < b.p ? -1 : a.p > b.p ? 1 : 0) || LEVEL_RANK[b.m.level] - LEVEL_RANK[a.m.level] || a.i - b.i)
    .map((x) => x.m);
}
