import tseslint from 'typescript-eslint';

const uiModules = ['react', 'react/*', 'react-dom', 'react-dom/*', 'monaco-editor', 'monaco-editor/*', 'monaco-yaml', '@xyflow/*', 'zustand', 'zustand/*', 'elkjs', 'elkjs/*'];

export default tseslint.config(
  { ignores: ['dist', 'node_modules', '**/*.generated.*'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    // The model, the graph derivation and the engine are pure TypeScript: they run in the worker, in Node tests and in the CLI.
    files: ['src/model/**/*.ts', 'src/graph/**/*.ts', 'src/engine/**/*.ts', 'src/analysis/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: uiModules, message: 'src/model and src/engine must stay free of UI code (React, Monaco, @xyflow, zustand).' },
          { group: ['**/canvas/*', '**/editor/*', '**/ui/*', '**/store/*', '**/sim/*', '**/worker/*'], message: 'model/engine must not import from UI or store layers.' },
        ],
      }],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage', 'HTMLElement'],
    },
  },
);
