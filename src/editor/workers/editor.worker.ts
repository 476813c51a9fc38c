// Monaco's editor worker (diffs, word-based suggestions, link detection). Started by
// MonacoEnvironment.getWorker in ../monaco.ts.
import 'monaco-editor/editor/editor.worker';
