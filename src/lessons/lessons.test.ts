/** The canary lesson, followed from its example: each step's check fails before the learner acts and passes after. */
import { describe, expect, it } from 'vitest';
import { compileMesh, trace } from '../engine';
import type { RequestInput } from '../engine/types';
import { exampleById } from '../examples';
import { parseDesign } from '../model/parse';
import { advance, lessonById, type LessonContext } from './index';

const lesson = lessonById('canary')!;
const start = exampleById(lesson.exampleId)!.text;
const ctxOf = (text: string, input?: RequestInput): LessonContext => {
  const { model } = parseDesign(text);
  return { model, last: input ? { input, trace: trace(compileMesh(model), input, { seed: 1 }) } : undefined };
};
const req = (headers: Record<string, string> = {}): RequestInput => ({ source: { workload: 'client', namespace: 'default' }, request: { protocol: 'http', method: 'GET', authority: 'my-service', path: '/', headers } });

const shifted = start.replace('weight: 90', 'weight: 80').replace('weight: 10', 'weight: 20');
const withJason = shifted.replace(
  '  http:\n  - name: canary\n',
  '  http:\n  - name: jason\n    match:\n    - headers:\n        end-user:\n          exact: jason\n    route:\n    - destination:\n        host: my-service\n        subset: v2\n  - name: canary\n',
);
const finished = withJason.replace('weight: 80', 'weight: 0').replace('weight: 20', 'weight: 100');

describe('canary lesson', () => {
  it('starts from a design that meets none of its steps', () => {
    expect(advance(lesson, [], ctxOf(start))).toEqual([]);
  });

  it('is completed by following its instructions, step by step', () => {
    let done = advance(lesson, [], ctxOf(start, req()));
    expect(done).toEqual(['send']);
    done = advance(lesson, done, ctxOf(shifted));
    expect(done).toEqual(['send', 'shift']);
    // Jason's request before the rule exists does not count.
    expect(advance(lesson, done, ctxOf(shifted, req({ 'end-user': 'jason' })))).toEqual(['send', 'shift']);
    done = advance(lesson, done, ctxOf(withJason));
    expect(done).toEqual(['send', 'shift', 'jason-rule']);
    expect(advance(lesson, done, ctxOf(withJason, req()))).toEqual(done); // not as jason
    done = advance(lesson, done, ctxOf(withJason, req({ 'end-user': 'jason' })));
    expect(done).toEqual(['send', 'shift', 'jason-rule', 'send-jason']);
    done = advance(lesson, done, ctxOf(finished));
    expect(done).toEqual(lesson.steps.map((s) => s.id));
  });

  it('does not let a later step complete before an earlier one', () => {
    expect(advance(lesson, [], ctxOf(shifted))).toEqual([]);
  });

  it('a jason rule placed after the split does not pass', () => {
    const late = shifted.replace(/(\n---\napiVersion: networking.istio.io\/v1\nkind: DestinationRule)/, '\n  - name: jason\n    match:\n    - headers:\n        end-user:\n          exact: jason\n    route:\n    - destination:\n        host: my-service\n        subset: v2$1');
    expect(late).toContain('- name: jason');
    expect(advance(lesson, ['send', 'shift'], ctxOf(late))).toEqual(['send', 'shift']);
  });
});
