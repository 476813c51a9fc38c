/** The canary lesson: send traffic, shift 10 % more to v2, let user jason test v2, then finish the rollout. */
import { compileMesh, trace } from '../engine';
import type { RequestInput } from '../engine/types';
import type { MeshModel } from '../model/model';
import type { Lesson, LessonContext } from './types';

const VS = 'VirtualService/default/my-service';
const request = (headers: Record<string, string> = {}): RequestInput => ({
  source: { workload: 'client', namespace: 'default' },
  request: { protocol: 'http', method: 'GET', authority: 'my-service', path: '/', headers },
});

/** The workloads that answer a request over `seeds` seeded runs (the weighted split is seeded). */
function reached(model: MeshModel, input: RequestInput, seeds = 40): Map<string, number> {
  const counts = new Map<string, number>();
  try {
    const mesh = compileMesh(model);
    for (let seed = 1; seed <= seeds; seed++) {
      const w = trace(mesh, input, { seed }).destination?.workload ?? 'none';
      counts.set(w, (counts.get(w) ?? 0) + 1);
    }
  } catch {
    counts.set('error', seeds);
  }
  return counts;
}

interface WeightedRoute {
  subset?: string;
  weight?: number;
}

/** The weights of the rule without a match (the split everyone gets), by subset. */
function defaultSplit(model: MeshModel): Record<string, number> | undefined {
  const vs = model.ofKind('VirtualService').find((v) => `${v.kind}/${v.namespace}/${v.name}` === VS);
  const rules = (vs?.spec.http ?? []) as { match?: unknown[]; route?: { destination?: WeightedRoute; weight?: number }[] }[];
  const rule = rules.find((r) => !r.match?.length);
  if (!rule?.route) return undefined;
  const out: Record<string, number> = {};
  for (const r of rule.route) out[r.destination?.subset ?? ''] = r.weight ?? (rule.route.length === 1 ? 100 : 0);
  return out;
}

const lastReached = (ctx: LessonContext, headers: Record<string, string> = {}) => {
  const t = ctx.last;
  if (!t || t.input.source.workload !== 'client' || !/^my-service/.test(t.input.request.authority ?? '')) return undefined;
  const sent = t.input.request.headers ?? {};
  if (Object.entries(headers).some(([k, v]) => sent[k] !== v)) return undefined;
  return t.trace.destination?.workload ?? undefined;
};

export const canaryLesson: Lesson = {
  id: 'canary',
  title: 'Canary rollout',
  summary: 'Roll my-service v2 out step by step: shift weights, let a tester in early, then move everyone.',
  exampleId: 'canary',
  steps: [
    {
      id: 'send',
      title: 'Send a request',
      instruction: 'Open ▶ Simulate, send a GET from default/client to host my-service, and see which version answers.',
      explanation: 'The sidecar of client matched the VirtualService my-service and picked a subset by weight: 9 requests in 10 go to v1.',
      highlight: { resource: VS, path: ['spec', 'http', 0, 'route'] },
      check: (ctx) => !!lastReached(ctx)?.startsWith('my-service-'),
    },
    {
      id: 'shift',
      title: 'Shift 10 % more to v2',
      instruction: 'In the VirtualService my-service, change the weights to 80 for v1 and 20 for v2 (in the YAML, or by clicking the 90% label on the canvas).',
      explanation: 'Weights must add up to 100. Now one request in five reaches v2: a canary grows by moving weight, with no redeploy.',
      highlight: { resource: VS, path: ['spec', 'http', 0, 'route', 0, 'weight'] },
      check: ({ model }) => {
        const split = defaultSplit(model);
        return split?.v1 === 80 && split?.v2 === 20;
      },
    },
    {
      id: 'jason-rule',
      title: 'Let user jason test v2',
      instruction: 'Add a first rule to the VirtualService: requests with header end-user: jason (exact match) go to subset v2. Keep the 80/20 rule after it.',
      explanation: 'Rules are tried in order, so jason’s requests match first and always reach v2; everyone else still gets the 80/20 split.',
      highlight: { resource: VS, path: ['spec', 'http'] },
      check: ({ model }) => {
        const jason = reached(model, request({ 'end-user': 'jason' }));
        const others = reached(model, request());
        const split = defaultSplit(model);
        return jason.get('my-service-v2') === 40 && (others.get('my-service-v1') ?? 0) > 0 && split?.v1 === 80 && split?.v2 === 20;
      },
    },
    {
      id: 'send-jason',
      title: 'Send a request as user jason',
      instruction: 'In the Simulate panel, add the header end-user: jason and send the request from client to my-service again.',
      explanation: 'The explanation shows the header match of your new rule: jason reaches v2 every time.',
      check: (ctx) => lastReached(ctx, { 'end-user': 'jason' }) === 'my-service-v2',
    },
    {
      id: 'finish',
      title: 'Finish the rollout',
      instruction: 'v2 looks good: send all traffic to v2 (weight 100 for v2, 0 for v1 — or remove the v1 destination).',
      explanation: 'Everyone now reaches v2. The v1 pods can go once no traffic is left on them — the rollout is done.',
      highlight: { resource: VS, path: ['spec', 'http'] },
      check: ({ model }) => reached(model, request()).get('my-service-v2') === 40,
    },
  ],
};
