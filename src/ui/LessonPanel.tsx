/** The lesson panel: the steps, the one to do now (its YAML and canvas element highlighted), and what happened. */
import { useEffect } from 'react';
import { elementAt } from '../graph/lookup';
import { lessonById, type LessonStep } from '../lessons';
import type { ResourceKey } from '../model/resource';
import { leaveLesson, useLessons } from '../store/lessons';
import { revealField } from '../store/reveal';
import { useStore } from '../store/store';
import './share.css';

function highlight(step: LessonStep | undefined) {
  if (!step?.highlight) return;
  const { resource, path } = step.highlight;
  const { graph, select } = useStore.getState();
  select(elementAt(graph, resource as ResourceKey, path));
  revealField(resource, path);
}

export function LessonPanel() {
  const active = useLessons((s) => s.active);
  const done = useLessons((s) => s.done);
  const lesson = active ? lessonById(active) : undefined;
  const current = lesson?.steps.find((s) => !done.includes(s.id));
  const hasGraph = useStore((s) => s.graph.nodes.length > 0);
  // Point at what the step talks about as soon as it becomes the step to do.
  useEffect(() => {
    if (hasGraph) highlight(current);
  }, [current, hasGraph]);
  if (!lesson) return null;
  const finished = !current;
  const lastDone = lesson.steps.filter((s) => done.includes(s.id)).pop();
  return (
    <aside className="lesson-panel" aria-label="Lesson">
      <div className="lesson-head">
        <strong>Lesson: {lesson.title}</strong>
        <button type="button" className="modal-close" aria-label="Leave the lesson" onClick={leaveLesson}>
          ×
        </button>
      </div>
      <p className="lesson-progress" role="status" aria-label="Lesson progress">
        {finished ? `Lesson complete: all ${lesson.steps.length} steps done.` : `Step ${done.length + 1} of ${lesson.steps.length}`}
      </p>
      <ol className="lesson-steps">
        {lesson.steps.map((s) => {
          const state = done.includes(s.id) ? 'done' : s === current ? 'current' : 'todo';
          return (
            <li key={s.id} className={`lesson-step is-${state}`} aria-current={state === 'current' ? 'step' : undefined}>
              <span className="lesson-mark" aria-label={state === 'done' ? 'done' : state === 'current' ? 'to do now' : 'later'}>
                {state === 'done' ? '✓' : state === 'current' ? '→' : '·'}
              </span>
              <span>{s.title}</span>
            </li>
          );
        })}
      </ol>
      {lastDone ? (
        <p className="lesson-explain" aria-label="What happened">
          <b>✓ {lastDone.title}.</b> {lastDone.explanation}
        </p>
      ) : null}
      {current ? (
        <div className="lesson-task" aria-label="What to do">
          <p>{current.instruction}</p>
          {current.highlight ? (
            <button type="button" onClick={() => highlight(current)}>
              Show me where
            </button>
          ) : null}
        </div>
      ) : (
        <div className="share-row">
          <button type="button" className="primary" onClick={leaveLesson}>
            Close the lesson
          </button>
        </div>
      )}
    </aside>
  );
}
