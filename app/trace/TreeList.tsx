/**
 * The recursion tree as a list a screen reader can walk (role tree), virtualised so 10,000 calls render
 * as the thirty rows on screen. Same order and collapse state as the canvas. Keys: ↑ ↓ move, → expands,
 * ← collapses or goes to the parent, Enter toggles.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef } from 'react';
import type { RunState } from '../store/run.ts';
import { callOutcomeNote, chars, duration, int, money } from './format.ts';
import { layoutTree } from './layout.ts';
import { statusWord } from './palette.ts';

export interface TreeListProps {
  state: Pick<RunState, 'calls' | 'roots'> & Partial<Pick<RunState, 'price'>>;
  selectedId: string | null;
  collapsed: ReadonlySet<string>;
  onSelect(id: string | null): void;
  onToggle(id: string): void;
  label: string;
}

const ROW = 26;

export function TreeList({ state, selectedId, collapsed, onSelect, onToggle, label }: TreeListProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const layout = useMemo(() => layoutTree(state, collapsed), [state, collapsed]);
  const price = state.price ?? null;
  const rows = layout.ids;
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW,
    overscan: 12,
  });
  const selectedIndex = selectedId === null ? -1 : (layout.index.get(selectedId) ?? -1);

  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);

  const onKeyDown = (e: React.KeyboardEvent) => {
    const i = selectedIndex;
    const id = i >= 0 ? rows[i]! : null;
    const c = id ? state.calls.get(id) : undefined;
    const go = (j: number) => rows[j] !== undefined && onSelect(rows[j]!);
    if (e.key === 'ArrowDown') go(i < 0 ? 0 : i + 1);
    else if (e.key === 'ArrowUp') go(Math.max(0, i - 1));
    else if (e.key === 'Home') go(0);
    else if (e.key === 'End') go(rows.length - 1);
    else if (e.key === 'ArrowRight' && c && collapsed.has(c.id)) onToggle(c.id);
    else if (e.key === 'ArrowLeft' && c) {
      if (c.children.length > 0 && !collapsed.has(c.id)) onToggle(c.id);
      else if (c.parentId) onSelect(c.parentId);
    } else if (e.key === 'Enter' && c && c.children.length > 0) onToggle(c.id);
    else return;
    e.preventDefault();
  };

  return (
    <div
      ref={scrollRef}
      className="trace-list"
      role="tree"
      aria-label={label}
      tabIndex={0}
      aria-activedescendant={selectedIndex >= 0 ? rowId(rows[selectedIndex]!) : undefined}
      onKeyDown={onKeyDown}
      data-testid="trace-list"
      data-rows={rows.length}
    >
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((item) => {
          const id = rows[item.index]!;
          const c = state.calls.get(id);
          if (!c) return null;
          const hasKids = c.children.length > 0;
          const isCollapsed = collapsed.has(id);
          const hidden = layout.hidden[item.index]!;
          return (
            // biome-ignore lint/a11y/useFocusableInteractive: focus stays on the tree (aria-activedescendant).
            <div
              key={id}
              id={rowId(id)}
              role="treeitem"
              aria-level={c.depth + 1}
              aria-expanded={hasKids ? !isCollapsed : undefined}
              aria-selected={id === selectedId}
              className={`trace-row status-${c.status}${id === selectedId ? ' selected' : ''}`}
              style={{ transform: `translateY(${item.start}px)`, paddingLeft: 6 + c.depth * 16 }}
              onClick={() => onSelect(id)}
              onKeyDown={undefined}
            >
              <button
                type="button"
                className="twisty"
                tabIndex={-1}
                aria-hidden="true"
                disabled={!hasKids}
                onClick={(e) => {
                  e.stopPropagation();
                  onToggle(id);
                }}
              >
                {hasKids ? (isCollapsed ? '▸' : '▾') : '·'}
              </button>
              <span className="dot" aria-hidden="true" />
              <span className="row-label">{c.label || c.id}</span>
              <span className="row-meta">
                {statusWord[c.status]}
                {callOutcomeNote(c) ? ` · ${callOutcomeNote(c)}` : ''}
                {c.span ? ` · ${chars(c.span[1] - c.span[0])}` : ''}
                {c.leaf && c.status !== 'planned' ? ` · ${int(c.promptTokens + c.completionTokens)} tok` : ''}
                {price && c.treeCost > 0 ? ` · ${money(c.treeCost, price)}` : ''}
                {c.endT !== null && c.status !== 'planned' ? ` · ${duration(c.ms ?? c.endT - c.startT)}` : ''}
                {hidden > 0 ? ` · ${int(hidden)} hidden` : ''}
              </span>
            </div>
          );
        })}
      </div>
    </div>
  );
}

const rowId = (callId: string) => `trace-row-${callId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
