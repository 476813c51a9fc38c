/**
 * Monaco, lean: the editor API, only the editor features the YAML editor uses, the YAML grammar,
 * and monaco-yaml driven by the Istio schema that scripts/gen-schema.mjs derives at build time.
 * Importing this module has side effects (worker factory, monaco-yaml registration); it is only
 * imported by YamlEditor.tsx, which the app loads lazily, so none of it is in the initial bundle.
 */
import * as monaco from 'monaco-editor/editor';

// Editor features (the full `monaco-editor` entry registers ~65 of them plus 80 languages and the
// TS/CSS/HTML/JSON workers: 17 MB). Paths go through monaco-editor's exports map (`./*` → esm/vs/*).
import 'monaco-editor/editor/contrib/hover/browser/hoverContribution';
// features/suggest/register only brings inline completions; the suggest widget is suggestController.
import 'monaco-editor/editor/contrib/suggest/browser/suggestController';
import 'monaco-editor/editor/contrib/snippet/browser/snippetController2';
import 'monaco-editor/editor/contrib/find/browser/findController';
import 'monaco-editor/editor/contrib/folding/browser/folding';
import 'monaco-editor/editor/contrib/bracketMatching/browser/bracketMatching';
import 'monaco-editor/editor/contrib/comment/browser/comment';
import 'monaco-editor/editor/contrib/contextmenu/browser/contextmenu';
import 'monaco-editor/editor/contrib/clipboard/browser/clipboard';
import 'monaco-editor/editor/contrib/gotoError/browser/gotoError';
import 'monaco-editor/editor/contrib/indentation/browser/indentation';
import 'monaco-editor/editor/contrib/linesOperations/browser/linesOperations';
import 'monaco-editor/editor/contrib/multicursor/browser/multicursor';
import 'monaco-editor/editor/contrib/wordOperations/browser/wordOperations';
import 'monaco-editor/editor/contrib/cursorUndo/browser/cursorUndo';
import 'monaco-editor/editor/contrib/smartSelect/browser/smartSelect';
import 'monaco-editor/features/codicon/register';
// YAML syntax colouring (Monarch grammar, loaded on first use).
import 'monaco-editor/languages/definitions/yaml/register';

import { configureMonacoYaml, type JSONSchema, type MonacoYaml } from 'monaco-yaml';
// `?raw` (a string, parsed once below) rather than a JSON import: the file is generated and
// gitignored, and TypeScript must not need it (nor infer a type for 200 KB of JSON) to typecheck.
import istioSchemaText from './schema/istio.generated.json?raw';

export { monaco };

/** The id monaco-yaml shows as the schema source in hovers. */
export const ISTIO_SCHEMA_URI = 'https://meshcraft.local/schema/istio.json';

const newEditorWorker = () =>
  new Worker(new URL('./workers/editor.worker.ts', import.meta.url), { type: 'module', name: 'monaco-editor' });
const newYamlWorker = () =>
  new Worker(new URL('./workers/yaml.worker.ts', import.meta.url), { type: 'module', name: 'monaco-yaml' });

// Monaco asks for its own editor worker (label `editorWorkerService`) through this hook. The YAML
// worker is created by the wrapper below, not here, but answer for its label too just in case.
self.MonacoEnvironment = {
  getWorker(_workerId: string, label: string) {
    return label === 'yaml' ? newYamlWorker() : newEditorWorker();
  },
};

/**
 * monaco-yaml 5.5 (through monaco-worker-manager) still calls the pre-0.55
 * `createWebWorker({ moduleId, label, createData })`; Monaco 0.57 only accepts `{ worker, host }`
 * and ignores the rest, so the YAML worker would never start (no completion, no hover)
 * (monaco-yaml issue #272). This Monaco-shaped wrapper creates the worker itself and does the
 * handshake the old API did: a first message that makes the worker initialise, then the create
 * data (options + schemas) that monaco-yaml's worker factory receives.
 */
interface LegacyWorkerOptions {
  moduleId?: string;
  label?: string;
  createData?: unknown;
  host?: Record<string, (...args: unknown[]) => unknown>;
  keepIdleModels?: boolean;
  worker?: Worker | Promise<Worker>;
}
const monacoForYaml = {
  ...monaco,
  languages: {
    ...monaco.languages,
    registerCompletionItemProvider(
      selector: monaco.languages.LanguageSelector,
      provider: monaco.languages.CompletionItemProvider,
    ) {
      return monaco.languages.registerCompletionItemProvider(selector, {
        ...provider,
        async provideCompletionItems(...args) {
          const list = await provider.provideCompletionItems(...args);
          list?.suggestions.forEach(plainSnippetToText);
          return list;
        },
      });
    },
  },
  editor: {
    ...monaco.editor,
    createWebWorker<T extends object>(opts: LegacyWorkerOptions) {
      if (opts.worker) return monaco.editor.createWebWorker<T>(opts as monaco.editor.IInternalWebWorkerOptions);
      const worker = newYamlWorker();
      worker.postMessage('ignore');
      worker.postMessage(opts.createData);
      return monaco.editor.createWebWorker<T>({
        worker,
        host: opts.host,
        keepIdleModels: opts.keepIdleModels,
      } as monaco.editor.IInternalWebWorkerOptions);
    },
  },
};

/**
 * The YAML language server marks every completion as a snippet, even a plain value such as
 * `STRICT`. Monaco then always treats accepting it as an edit, so with
 * `acceptSuggestionOnEnter: 'smart'` Enter after a fully typed value still "accepts" instead of
 * inserting a newline. Turn snippets without tabstops or placeholders back into plain text.
 */
function plainSnippetToText(item: monaco.languages.CompletionItem): void {
  const snippet = monaco.languages.CompletionItemInsertTextRule.InsertAsSnippet;
  if (!item.insertTextRules || !(item.insertTextRules & snippet)) return;
  let text = '';
  const src = item.insertText;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\' && i + 1 < src.length && '$}\\'.includes(src[i + 1])) text += src[++i];
    else if (c === '$') return; // a real tabstop, placeholder or variable
    else text += c;
  }
  item.insertText = text;
  item.insertTextRules &= ~snippet;
}

let yaml: MonacoYaml | undefined;

/**
 * Registers monaco-yaml once (it supports a single instance) for every model (`fileMatch: ['*']`), for completion and
 * hover from the schema. Not for validation: the model worker already checks every resource against Istio's and
 * Kubernetes' schemas and marks the errors (owner `meshcraft`, with our wording and the analyzer's codes), so
 * monaco-yaml's markers would only repeat them, after re-parsing and re-validating the whole text in its own worker
 * half a second after each edit (about 250 ms of CPU for 3,000 lines, taken from the next keystroke's parse).
 */
export function ensureYamlLanguage(): MonacoYaml {
  yaml ??= configureMonacoYaml(monacoForYaml as unknown as Parameters<typeof configureMonacoYaml>[0], {
    enableSchemaRequest: false,
    validate: false,
    completion: true,
    hover: true,
    format: { enable: false },
    schemas: [
      {
        uri: ISTIO_SCHEMA_URI,
        fileMatch: ['*'],
        schema: JSON.parse(istioSchemaText) as JSONSchema,
      },
    ],
  });
  return yaml;
}

// Dev only: when this module is hot-replaced, free the old registration (one instance at a time).
import.meta.hot?.dispose(() => {
  // (MonacoYaml extends monaco-types' IDisposable, which does not resolve on monaco-editor 0.57.)
  (yaml as unknown as { dispose(): void } | undefined)?.dispose();
  yaml = undefined;
});
