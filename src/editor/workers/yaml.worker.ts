// monaco-yaml's YAML language server worker. Started by ../monaco.ts (see the createWebWorker
// wrapper there: monaco-yaml 5.5 cannot start it by itself on monaco-editor >= 0.55).
import 'monaco-yaml/yaml.worker.js';
