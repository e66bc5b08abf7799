import { type Edge, useReactFlow } from '@xyflow/react';
import { type KeyboardEvent, useId, useMemo, useRef, useState } from 'react';
import type { NodeKind, NodeSpec } from '../../../workers/lang/index.ts';
import { paletteGroups } from '../../../workers/lang/index.ts';
import { addNodeNear } from '../../canvas/add-node.ts';
import type { FlowNode } from '../../canvas/flow-model.ts';
import { DRAG_MIME, rankSearch } from '../../canvas/palette-data.ts';
import { explainSymbols } from '../../shell/glossary.tsx';

const paletteSpecs: NodeSpec[] = paletteGroups.flatMap((g) => g.specs);

/**
 * Every node kind, grouped, with a one-line description. Drag one onto the canvas, or click it (or
 * press Enter on it) to add it in view; the search box adds its best match on Enter. Arrow keys move
 * between entries.
 */
export function Palette() {
  const [query, setQuery] = useState('');
  const listRef = useRef<HTMLDivElement>(null);
  const rf = useReactFlow<FlowNode, Edge>();
  const searchId = useId();
  const results = useMemo(() => (query.trim() ? rankSearch(paletteSpecs, query) : null), [query]);

  /** Adds a node in free space: into the selected container, right of the selected node, or mid-view. */
  const add = (kind: NodeKind) => void addNodeNear(rf, kind);

  const onListKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const items = [...(listRef.current?.querySelectorAll<HTMLButtonElement>('button.palette-item') ?? [])];
    const i = items.indexOf(document.activeElement as HTMLButtonElement);
    const next = items[e.key === 'ArrowDown' ? Math.min(items.length - 1, i + 1) : Math.max(0, i - 1)];
    if (next) {
      e.preventDefault();
      next.focus();
    }
  };

  const item = (spec: NodeSpec) => (
    <li key={spec.kind}>
      <button
        type="button"
        className={`palette-item group-${spec.group}`}
        draggable
        onDragStart={(e) => {
          e.dataTransfer.setData(DRAG_MIME, spec.kind);
          e.dataTransfer.effectAllowed = 'copy';
        }}
        onClick={() => add(spec.kind)}
        title={[`Add ${spec.title} (or drag it onto the canvas)`, explainSymbols(spec.description)]
          .filter(Boolean)
          .join('\n')}
        data-kind={spec.kind}
      >
        <span className="palette-title">{spec.title}</span>
        <span className="palette-desc">{spec.description}</span>
      </button>
    </li>
  );

  return (
    <div className="palette-body">
      <label htmlFor={searchId} className="visually-hidden">
        Search nodes
      </label>
      <input
        id={searchId}
        type="search"
        className="palette-search"
        placeholder="Search nodes…"
        title="Type a name: Enter adds the best match, ↓ walks the list. Ctrl+K opens every command."
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && results?.[0]) {
            e.preventDefault();
            add(results[0].kind);
            setQuery('');
          } else if (e.key === 'ArrowDown') {
            e.preventDefault();
            listRef.current?.querySelector<HTMLButtonElement>('button.palette-item')?.focus();
          } else if (e.key === 'Escape') setQuery('');
        }}
      />
      {/* biome-ignore lint/a11y/noStaticElementInteractions: arrow keys move focus between the buttons inside */}
      <div ref={listRef} onKeyDown={onListKey} className="palette-list">
        {results ? (
          <ul aria-label="Search results">
            {results.length === 0 && <li className="muted">No node matches “{query}”.</li>}
            {results.map(item)}
          </ul>
        ) : (
          paletteGroups.map((g) => (
            <section key={g.group} aria-label={g.title}>
              <h3 className="palette-group">{g.title}</h3>
              <ul>{g.specs.map(item)}</ul>
            </section>
          ))
        )}
      </div>
    </div>
  );
}
