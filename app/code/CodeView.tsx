import Editor from '@monaco-editor/react';
import { useMemo } from 'react';
import { planToTerm } from '../../workers/lang/index.ts';
import { useDocument } from '../store/document.ts';
import { JSON_LANG, systemTheme, TERM_LANG } from './monaco.ts';

/** The plan as a readable λ-term or as its JSON document, read-only, following every edit. */
export default function CodeView({ view }: { view: 'term' | 'json' }) {
  const plan = useDocument((s) => s.plan);
  const text = useMemo(
    () => (view === 'term' ? planToTerm(plan) : JSON.stringify(plan, null, 2)),
    [plan, view],
  );
  return (
    <div className="code-view" data-testid={`code-view-${view}`}>
      <Editor
        height="100%"
        language={view === 'term' ? TERM_LANG : JSON_LANG}
        theme={systemTheme()}
        value={text}
        loading={<div className="muted">Loading editor…</div>}
        options={{
          readOnly: true,
          ariaLabel: view === 'term' ? 'The plan as a λ-term (read-only)' : 'The plan as JSON (read-only)',
          minimap: { enabled: false },
          wordWrap: view === 'term' ? 'on' : 'off',
          fontSize: 12,
          scrollBeyondLastLine: false,
          automaticLayout: true,
          editContext: false,
          domReadOnly: true,
        }}
      />
    </div>
  );
}
