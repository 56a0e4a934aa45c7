// Lint rules that keep the layering honest (docs/architecture.md, Layers).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const noVscode = {
  paths: [{ name: 'vscode', message: "Only src/extension/host/ and extension.ts may import 'vscode' (docs/architecture.md, Layers)." }],
};

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.cache/**', '.vscode-test/**', 'test-results/**', '**/*.mjs', '**/*.cjs', '**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['@vscode/webview-ui-toolkit', '@vscode/webview-ui-toolkit/*'], message: 'The deprecated UI toolkit is used only through src/webview/ui/.' }],
      }],
    },
  },
  {
    files: ['src/extension/core/**', 'src/extension/venues/**', 'src/shared/**', 'src/webview/**', 'sandbox/**'],
    rules: { 'no-restricted-imports': ['error', { ...noVscode, patterns: [{ group: ['@vscode/webview-ui-toolkit', '@vscode/webview-ui-toolkit/*'], message: 'The deprecated UI toolkit is used only through src/webview/ui/.' }] }] },
  },
  {
    files: ['src/webview/ui/**'],
    rules: { 'no-restricted-imports': ['error', noVscode] },
  },
  {
    files: ['test/**'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
