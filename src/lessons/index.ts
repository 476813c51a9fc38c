/** The guided lessons, and how far a learner is in one. Pure. */
import { canaryLesson } from './canary';
import type { Lesson, LessonContext } from './types';

export type { Lesson, LessonContext, LessonStep } from './types';

export const LESSONS: readonly Lesson[] = [canaryLesson];

export const lessonById = (id: string) => LESSONS.find((l) => l.id === id);

/**
 * The steps done after an update: steps already done stay done, and the first open step is checked against the
 * design and the last trace (a step completes only in order, so a lesson is followed, not skipped through).
 */
export function advance(lesson: Lesson, done: readonly string[], ctx: LessonContext): string[] {
  const next = [...done];
  for (const step of lesson.steps) {
    if (next.includes(step.id)) continue;
    if (!step.check(ctx)) break;
    next.push(step.id);
  }
  return next;
}
