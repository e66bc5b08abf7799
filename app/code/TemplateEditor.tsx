import Editor from '@monaco-editor/react';
import { useEffect, useRef } from 'react';
import { breakMerge } from '../store/document.ts';
import { monaco, systemTheme, TEMPLATE_LANG, templateScopes } from './monaco.ts';

interface Props {
  id: string;
  label: string;
  value: string;
  variables: readonly string[];
  onChange(value: string): void;
}

/**
 * An LLM prompt template in Monaco: `{{chunk}}`/`{{query}}` and named inputs highlighted, and completed
 * from the variables in scope after `{{`. Loaded lazily with Monaco itself.
 */
export default function TemplateEditor({ id, label, value, variables, onChange }: Props) {
  const uri = useRef(`inmemory://template/${id}`);
  useEffect(() => {
    templateScopes.set(uri.current, variables);
  }, [variables]);
  useEffect(() => () => void templateScopes.delete(uri.current), []);
  return (
    <div className="template-editor" data-testid="template-editor">
      <Editor
        height="180px"
        language={TEMPLATE_LANG}
        path={uri.current}
        theme={systemTheme()}
        value={value}
        onChange={(v) => onChange(v ?? '')}
        onMount={(editor) => {
          editor.onDidBlurEditorText(breakMerge);
        }}
        loading={<div className="muted">Loading editor…</div>}
        options={{
          ariaLabel: `${label} (template)`,
          minimap: { enabled: false },
          wordWrap: 'on',
          lineNumbers: 'off',
          folding: false,
          glyphMargin: false,
          lineDecorationsWidth: 4,
          scrollBeyondLastLine: false,
          fontSize: 13,
          renderLineHighlight: 'none',
          automaticLayout: true,
          editContext: false,
          quickSuggestions: { other: true, comments: false, strings: true },
          suggestOnTriggerCharacters: true,
          tabFocusMode: true,
          fixedOverflowWidgets: true,
        }}
      />
    </div>
  );
}

export { monaco };
