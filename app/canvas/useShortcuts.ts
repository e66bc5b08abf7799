import { useReactFlow } from '@xyflow/react';
import { useEffect } from 'react';
import { redo, undo } from '../store/document.ts';
import { openCommandPalette } from './CommandPalette.tsx';
import { copySelection, deleteSelection, duplicateSelection, pasteClipboard, selectAll } from './editing.ts';

/**
 * Whether a key event belongs to a text field (input, textarea, Monaco, contenteditable): those keep
 * their own undo, copy and delete.
 */
function inTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.closest('.monaco-editor')) return true;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = (target as HTMLInputElement).type;
    return !['button', 'checkbox', 'radio', 'range', 'submit', 'reset', 'color'].includes(type);
  }
  return false;
}

/** The editor's keyboard shortcuts (listed in docs/editor.md). */
export function useShortcuts(onAutoLayout: () => void): void {
  const rf = useReactFlow();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      const mod = e.ctrlKey || e.metaKey;
      // Ctrl+K opens the command palette from anywhere but the prompt editor (where it starts a chord).
      if (
        mod &&
        !e.shiftKey &&
        e.key.toLowerCase() === 'k' &&
        !(e.target as Element | null)?.closest?.('.monaco-editor')
      ) {
        e.preventDefault();
        openCommandPalette();
        return;
      }
      if (inTextField(e.target)) return;
      const key = e.key.toLowerCase();
      let done = true;
      if (mod && key === 'z' && !e.shiftKey) undo();
      else if ((mod && key === 'z' && e.shiftKey) || (mod && key === 'y')) redo();
      else if (mod && key === 'c') done = copySelection();
      else if (mod && key === 'v') done = pasteClipboard();
      else if (mod && key === 'd') done = duplicateSelection() || true;
      else if (mod && key === 'a') selectAll();
      else if (!mod && (e.key === 'Delete' || e.key === 'Backspace')) done = deleteSelection();
      else if (!mod && !e.altKey && key === 'f') void rf.fitView({ padding: 0.15, duration: 200 });
      else if (!mod && !e.altKey && e.shiftKey && key === 'l') onAutoLayout();
      else done = false;
      if (done) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [rf, onAutoLayout]);
}
