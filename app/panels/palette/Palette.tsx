import { useReactFlow } from '@xyflow/react';
import { type KeyboardEvent, useId, useMemo, useRef, useState } from 'react';
import type { NodeKind, NodeSpec } from '../../../workers/lang/index.ts';
import { paletteGroups } from '../../../workers/lang/index.ts';
import { addNodeAt } from '../../canvas/FlowCanvas.tsx';
import { laneId } from '../../canvas/flow-model.ts';
import { DRAG_MIME, rankSearch } from '../../canvas/palette-data.ts';
import { useSelection } from '../../canvas/selection.ts';
import { drawnAsContainer, dropSlot } from '../../canvas/specs.ts';
import { useDocument } from '../../store/document.ts';

const paletteSpecs: NodeSpec[] = paletteGroups.flatMap((g) => g.specs);

/**
 * Every node kind, grouped, with a one-line description. Drag one onto the canvas, or click it (or
 * press Enter on it) to add it in view; the search box adds its best match on Enter. Arrow keys move
 * between entries.
 */
export function Palette() {
  const [query, setQuery] = useState('');
  const listRef = useRef<HTMLDivElement>(null);
  const rf = useReactFlow();
  const searchId = useId();
  const results = useMemo(() => (query.trim() ? rankSearch(paletteSpecs, query) : null), [query]);

  /** Adds a node in the middle of the view, or inside the selected container. */
  const add = (kind: NodeKind) => {
    const el = document.querySelector('.react-flow');
    const rect = el?.getBoundingClientRect();
    const centre = rect
      ? rf.screenToFlowPosition({ x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 })
      : { x: 0, y: 0 };
    const selected = useSelection.getState().nodes;
    const plan = useDocument.getState().plan;
    const container = selected.length === 1 ? plan.nodes.find((n) => n.id === selected[0]) : undefined;
    let lane: { id: string; abs: { x: number; y: number } } | null = null;
    if (
      container &&
      drawnAsContainer(
        container.kind,
        container.params,
        plan.nodes.some((n) => n.parent === container.id),
      )
    ) {
      const slot = dropSlot(container.kind);
      const id = laneId(container.id, slot);
      const internal = rf.getInternalNode(id);
      if (internal) lane = { id, abs: internal.internals.positionAbsolute };
    }
    const offset = (useDocument.getState().plan.nodes.length % 5) * 24;
    const at = lane
      ? { x: lane.abs.x + 40 + offset, y: lane.abs.y + 110 + offset }
      : { x: centre.x + offset, y: centre.y + offset };
    addNodeAt(kind, at, lane, !lane);
  };

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
        title={`Add ${spec.title} (or drag it onto the canvas)`}
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
        placeholder="Search nodes… (Enter adds)"
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
