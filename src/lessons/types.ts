/** Guided lessons: steps that ask the learner to do something and check it from the model or the last trace. Pure. */
import type { RequestInput, Trace } from '../engine/types';
import type { MeshModel } from '../model/model';
import type { FieldPath } from '../model/resource';

export interface LessonContext {
  model: MeshModel;
  /** The last request sent against the current design (none if the design changed since). */
  last?: { input: RequestInput; trace: Trace };
}

export interface LessonStep {
  id: string;
  title: string;
  /** What to do, in one or two sentences. */
  instruction: string;
  /** What happened, shown once the step is done. */
  explanation: string;
  /** The YAML field (and so the canvas element) the step is about. */
  highlight?: { resource: string; path: FieldPath };
  check(ctx: LessonContext): boolean;
}

export interface Lesson {
  id: string;
  title: string;
  summary: string;
  /** The example the lesson starts from. */
  exampleId: string;
  steps: LessonStep[];
}
