/**
 * Monaco, bundled locally and loaded only when a code view or a template editor first appears (never in
 * the first screen). Only the editor core and the few editor features used are imported; the editor
 * worker comes from Vite's `?worker`. The template, λ-term and JSON languages are small Monarch
 * tokenizers: no language-service worker is needed for read-only views and templates.
 */
import { loader } from '@monaco-editor/react';
import * as monaco from 'monaco-editor/editor';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import 'monaco-editor/features/bracketMatching/register';
import 'monaco-editor/features/clipboard/register';
import 'monaco-editor/features/contextmenu/register';
import 'monaco-editor/features/find/register';
import 'monaco-editor/features/folding/register';
import 'monaco-editor/features/hover/register';
import 'monaco-editor/features/suggest/register';
// The completion widget itself: no feature entry point registers it in 0.57 (only editor.main does).
import 'monaco-editor/editor/contrib/suggest/browser/suggestController.js';
import 'monaco-editor/features/wordOperations/register';

self.MonacoEnvironment = { getWorker: () => new EditorWorker() };
loader.config({ monaco });

export const TEMPLATE_LANG = 'fixpoint-template';
export const TERM_LANG = 'fixpoint-term';
export const JSON_LANG = 'fixpoint-json';

/** Variables in scope per template model (URI), read by the completion provider. */
export const templateScopes = new Map<string, readonly string[]>();

monaco.languages.register({ id: TEMPLATE_LANG });
monaco.languages.setMonarchTokensProvider(TEMPLATE_LANG, {
  tokenizer: {
    root: [
      [/\{\{\s*(chunk|query)\s*\}\}/, 'variable.reserved'],
      [/\{\{\s*[A-Za-z_][A-Za-z0-9_]*\s*\}\}/, 'variable.named'],
      [/\{\{[^}]*\}?\}?/, 'invalid'],
      [/[^{]+/, ''],
      [/\{/, ''],
    ],
  },
});
monaco.languages.registerCompletionItemProvider(TEMPLATE_LANG, {
  triggerCharacters: ['{'],
  provideCompletionItems(model, position) {
    const line = model.getLineContent(position.lineNumber).slice(0, position.column - 1);
    const m = /\{\{\s*([A-Za-z0-9_]*)$/.exec(line);
    const typed = m ? m[0].length : 0;
    const range = new monaco.Range(
      position.lineNumber,
      position.column - typed,
      position.lineNumber,
      position.column,
    );
    const rest = model.getLineContent(position.lineNumber).slice(position.column - 1);
    const closes = rest.startsWith('}}');
    const vars = templateScopes.get(model.uri.toString()) ?? ['chunk', 'query'];
    return {
      suggestions: vars.map((v) => ({
        label: `{{${v}}}`,
        filterText: `{{${v}`,
        kind: monaco.languages.CompletionItemKind.Variable,
        insertText: closes ? `{{${v}` : `{{${v}}}`,
        detail:
          v === 'chunk'
            ? 'the text input'
            : v === 'query'
              ? "the user's question"
              : 'named input (adds a port)',
        range,
      })),
    };
  },
});

monaco.languages.register({ id: TERM_LANG });
monaco.languages.setMonarchTokensProvider(TERM_LANG, {
  keywords: ['let', 'in', 'if', 'then', 'else', 'fix', 'λ'],
  tokenizer: {
    root: [
      [/--.*$/, 'comment'],
      [/"(?:[^"\\]|\\.)*"/, 'string'],
      [/λ|→|≤|⊕/, 'keyword'],
      [/\b(let|in|if|then|else|fix)\b/, 'keyword'],
      [/\b[A-Z][A-Za-z]*\b/, 'type'],
      [/\b\d+\b/, 'number'],
      [/[A-Za-z_][\w.]*/, 'identifier'],
    ],
  },
});

monaco.languages.register({ id: JSON_LANG });
monaco.languages.setMonarchTokensProvider(JSON_LANG, {
  tokenizer: {
    root: [
      [/"(?:[^"\\]|\\.)*"(?=\s*:)/, 'type'],
      [/"(?:[^"\\]|\\.)*"/, 'string'],
      [/-?\d+(\.\d+)?([eE][-+]?\d+)?/, 'number'],
      [/\b(true|false|null)\b/, 'keyword'],
    ],
  },
});

monaco.editor.defineTheme('fixpoint-dark', {
  base: 'vs-dark',
  inherit: true,
  rules: [
    { token: 'variable.reserved', foreground: '7fd1ff', fontStyle: 'bold' },
    { token: 'variable.named', foreground: 'f0b455', fontStyle: 'bold' },
    { token: 'invalid', foreground: 'ff8a80', fontStyle: 'underline' },
  ],
  colors: { 'editor.background': '#15171b' },
});
monaco.editor.defineTheme('fixpoint-light', {
  base: 'vs',
  inherit: true,
  rules: [
    { token: 'variable.reserved', foreground: '0b62a8', fontStyle: 'bold' },
    { token: 'variable.named', foreground: '9a5b00', fontStyle: 'bold' },
    { token: 'invalid', foreground: 'b42318', fontStyle: 'underline' },
  ],
  colors: {},
});

export function systemTheme(): string {
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'fixpoint-dark' : 'fixpoint-light';
}

export { monaco };
