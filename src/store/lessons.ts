/**
 * The lesson in progress and the steps done, kept in IndexedDB so that a reload resumes where the learner was.
 * Steps are checked here, outside React, whenever the design or the last trace changes.
 */
import { createStore, get, set } from 'idb-keyval';
import { create } from 'zustand';
import { advance, lessonById } from '../lessons';
import { buildModel } from '../model/model';
import { loadExample } from './shareUi';
import { useStore } from './store';

interface LessonState {
  active?: string;
  done: string[];
  /** Lessons finished at some point. */
  completed: string[];
}

export const useLessons = create<LessonState>()(() => ({ done: [], completed: [] }));

const KEY = 'progress';
let db: ReturnType<typeof createStore> | undefined;
const store = () => (db ??= createStore('meshcraft-lessons', 'progress'));
const persist = () => {
  const { active, done, completed } = useLessons.getState();
  set(KEY, { active, done, completed }, store()).catch(() => {});
};

export function startLesson(id: string) {
  const lesson = lessonById(id);
  if (!lesson) return;
  loadExample(lesson.exampleId, { note: false });
  useLessons.setState({ active: id, done: [] });
  persist();
}

export function leaveLesson() {
  useLessons.setState({ active: undefined, done: [] });
  persist();
}

function check() {
  const { active, done, completed } = useLessons.getState();
  const lesson = active ? lessonById(active) : undefined;
  if (!lesson || done.length === lesson.steps.length) return;
  const { resources, traced } = useStore.getState();
  const last = traced && traced.resources === resources ? { input: traced.input, trace: traced.trace } : undefined;
  const next = advance(lesson, done, { model: buildModel(resources), last });
  if (next.length === done.length) return;
  const finished = next.length === lesson.steps.length;
  useLessons.setState({ done: next, completed: finished && !completed.includes(lesson.id) ? [...completed, lesson.id] : completed });
  persist();
}

/** Restores the saved progress and checks steps as the design and traces change. */
export function startLessons(): () => void {
  void get(KEY, store())
    .then((saved: Partial<LessonState> | undefined) => {
      if (!saved || useLessons.getState().active) return;
      const active = saved.active && lessonById(saved.active) ? saved.active : undefined;
      useLessons.setState({ active, done: Array.isArray(saved.done) ? saved.done : [], completed: Array.isArray(saved.completed) ? saved.completed : [] });
      check();
    })
    .catch(() => {});
  const unsubs = [useStore.subscribe((s) => s.resources, check), useStore.subscribe((s) => s.traced, check)];
  return () => unsubs.forEach((u) => u());
}
