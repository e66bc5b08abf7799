import { lazy, Suspense, useEffect, useId, useState } from 'react';
import type { ParamSpec } from '../../../workers/lang/index.ts';
import { explainSymbols } from '../../shell/glossary.tsx';
import { breakMerge } from '../../store/document.ts';

const TemplateEditor = lazy(() => import('../../code/TemplateEditor.tsx'));

export interface FieldProps {
  spec: ParamSpec;
  value: unknown;
  problem: string | null;
  /** Variables a template may use here (`chunk`, `query`, and named inputs). */
  variables: readonly string[];
  onChange(value: unknown): void;
}

/** One parameter, edited with the control its kind calls for; problems are announced with the field. */
export function ParamField({ spec, value, problem, variables, onChange }: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = problem ? `${hintId} ${errorId}` : hintId;
  const common = {
    id,
    'aria-describedby': describedBy,
    'aria-invalid': problem ? true : undefined,
    onBlur: breakMerge,
  } as const;
  let control: React.ReactNode;
  switch (spec.kind) {
    case 'boolean':
      control = (
        <input
          {...common}
          type="checkbox"
          checked={value === true}
          onChange={(e) => onChange(e.target.checked)}
        />
      );
      break;
    case 'enum':
      control = (
        <select {...common} value={String(value ?? '')} onChange={(e) => onChange(e.target.value)}>
          {(spec.options ?? []).map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      );
      break;
    case 'int':
    case 'number':
      control = <NumberInput common={common} spec={spec} value={value} onChange={onChange} />;
      break;
    case 'text':
      control = (
        <textarea
          {...common}
          rows={3}
          value={String(value ?? '')}
          onChange={(e) => onChange(e.target.value)}
        />
      );
      break;
    case 'template':
      control = (
        <Suspense
          fallback={
            <textarea
              {...common}
              rows={8}
              value={String(value ?? '')}
              onChange={(e) => onChange(e.target.value)}
            />
          }
        >
          <TemplateEditor
            id={id}
            label={spec.label}
            value={String(value ?? '')}
            variables={variables}
            onChange={onChange}
          />
        </Suspense>
      );
      break;
    case 'json':
      control = <JsonInput common={common} value={value} onChange={onChange} />;
      break;
    default:
      control = (
        <input
          {...common}
          type="text"
          value={String(value ?? '')}
          onChange={(e) => onChange(e.target.value)}
        />
      );
  }
  return (
    <div className={`field field-${spec.kind}${problem ? ' field-invalid' : ''}`} data-param={spec.name}>
      <label htmlFor={id} title={explainSymbols(`${spec.label} ${spec.description ?? ''}`) || undefined}>
        {spec.label}
      </label>
      {control}
      <div id={hintId} className="field-hint">
        {spec.description}
      </div>
      {problem && (
        <div id={errorId} className="field-error" role="alert">
          {problem}
        </div>
      )}
    </div>
  );
}

type Common = {
  id: string;
  'aria-describedby': string;
  'aria-invalid': true | undefined;
  onBlur: () => void;
};

/** Keeps what the user typed while it is not a number yet, and says so. */
function NumberInput({
  common,
  spec,
  value,
  onChange,
}: {
  common: Common;
  spec: ParamSpec;
  value: unknown;
  onChange(v: unknown): void;
}) {
  const shown = value === null || value === undefined ? '' : String(value);
  const [text, setText] = useState(shown);
  useEffect(() => setText(shown), [shown]);
  return (
    <input
      {...common}
      type="number"
      inputMode={spec.kind === 'int' ? 'numeric' : 'decimal'}
      step={spec.kind === 'int' ? 1 : 'any'}
      min={spec.min}
      max={spec.max}
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        const t = e.target.value.trim();
        if (t === '') onChange(spec.name === 'end' ? null : undefined);
        else if (Number.isFinite(Number(t))) onChange(Number(t));
      }}
    />
  );
}

function JsonInput({
  common,
  value,
  onChange,
}: {
  common: Common;
  value: unknown;
  onChange(v: unknown): void;
}) {
  const shown = value === null || value === undefined ? '' : JSON.stringify(value, null, 2);
  const [text, setText] = useState(shown);
  const [bad, setBad] = useState<string | null>(null);
  useEffect(() => setText(shown), [shown]);
  return (
    <>
      <textarea
        {...common}
        rows={5}
        spellCheck={false}
        className="mono"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          if (e.target.value.trim() === '') {
            setBad(null);
            onChange(null);
            return;
          }
          try {
            onChange(JSON.parse(e.target.value));
            setBad(null);
          } catch (err) {
            setBad(err instanceof Error ? err.message : 'not JSON');
          }
        }}
      />
      {bad && (
        <div className="field-error" role="alert">
          Not valid JSON yet: {bad}
        </div>
      )}
    </>
  );
}
