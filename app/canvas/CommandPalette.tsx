/**
 * The command palette (Ctrl+K): type a few letters, Enter. Adds any node — next to the selection and wired
 * from it when a wire fits — and connects the selected node's ports ("connect to…"). The keyboard path to a
 * wired pipeline: Ctrl+K, "input", Enter; Ctrl+K, "split", Enter; Ctrl+K, "map", Enter.
 */
import { type Edge, useReactFlow } from '@xyflow/react';
import { useId, useMemo, useRef, useState } from 'react';
import { create } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { useModalDialog } from '../shell/useModalDialog.ts';
import { useDocument } from '../store/document.ts';
import { runCommand } from './add-node.ts';
import { allCommands, type Command, searchCommands } from './commands.ts';
import type { FlowNode } from './flow-model.ts';
import { useSelection } from './selection.ts';

/**
 * Each opening mounts a fresh dialog (`opened` counts them). A dialog's `close` event comes a moment after it
 * closes (it is queued), so a Ctrl+K pressed in between found the palette still "open" and did nothing, and the
 * late event then closed it for good (seen under load in e2e/editor-keyboard). Now that Ctrl+K opens a new
 * dialog, and only the current dialog's close event closes the palette.
 */
const useCommandPalette = create<{ open: boolean; opened: number }>()(() => ({ open: false, opened: 0 }));
export const openCommandPalette = (): void =>
  useCommandPalette.setState((s) => ({ open: true, opened: s.opened + 1 }));
const closeOpened = (opened: number): void =>
  useCommandPalette.setState((s) => (s.opened === opened ? { open: false } : s));

/** How many matches are listed: the first is what Enter does; typing narrows the rest. */
const SHOWN = 40;

export function CommandPalette() {
  const open = useCommandPalette((s) => s.open);
  const opened = useCommandPalette((s) => s.opened);
  return open ? <CommandDialog key={opened} opened={opened} /> : null;
}

function CommandDialog({ opened }: { opened: number }) {
  const ref = useRef<HTMLDialogElement>(null);
  const listId = useId();
  const rf = useReactFlow<FlowNode, Edge>();
  useModalDialog(ref);
  // The commands of the moment the palette opened: the document does not change while it is open.
  const [commands] = useState(() => allCommands(useDocument.getState().plan, useSelection.getState().nodes));
  const selected = useSelection(useShallow((s) => s.nodes));
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const shown = useMemo(() => searchCommands(commands, query).slice(0, SHOWN), [commands, query]);
  const current = Math.min(active, shown.length - 1);

  const run = (cmd: Command | undefined) => {
    if (!cmd) return;
    ref.current?.close();
    runCommand(rf, cmd);
  };

  return (
    <dialog
      ref={ref}
      className="dialog command-palette"
      aria-label="Commands"
      onClose={() => closeOpened(opened)}
    >
      <input
        type="text"
        role="combobox"
        aria-expanded="true"
        aria-controls={listId}
        aria-activedescendant={shown[current] ? `${listId}-${current}` : undefined}
        aria-label="Command"
        placeholder={
          selected.length === 1 ? 'Add a node after the selected one, or connect it…' : 'Add a node…'
        }
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') setActive((i) => Math.min(shown.length - 1, i + 1));
          else if (e.key === 'ArrowUp') setActive((i) => Math.max(0, i - 1));
          else if (e.key === 'Enter') run(shown[current]);
          else return;
          e.preventDefault();
        }}
      />
      <div id={listId} role="listbox" aria-label="Matching commands" className="command-list">
        {shown.length === 0 && <p className="muted">No command matches “{query}”.</p>}
        {shown.map((c, i) => (
          // biome-ignore lint/a11y/useKeyWithClickEvents: the combobox above takes the keys (↑ ↓ Enter) for the list.
          <div
            key={c.id}
            id={`${listId}-${i}`}
            role="option"
            tabIndex={-1}
            aria-selected={i === current}
            className={i === current ? 'command active' : 'command'}
            data-command={c.id}
            onClick={() => run(c)}
            onMouseMove={() => setActive(i)}
          >
            <span className="command-label">{c.label}</span>
            <span className="command-detail">{c.detail}</span>
          </div>
        ))}
      </div>
      <p className="muted command-keys">↑ ↓ choose · Enter runs · Esc closes</p>
    </dialog>
  );
}
