/**
 * The command palette (Ctrl+K): type a few letters, Enter. Adds any node — next to the selection and wired
 * from it when a wire fits — and connects the selected node's ports ("connect to…"). The keyboard path to a
 * wired pipeline: Ctrl+K, "input", Enter; Ctrl+K, "split", Enter; Ctrl+K, "map", Enter. The dialog and its
 * commands load when it first opens, not with the first screen.
 */
import { lazy, Suspense } from 'react';
import { create } from 'zustand';

const useCommandPalette = create<{ open: boolean }>()(() => ({ open: false }));
export const openCommandPalette = (): void => useCommandPalette.setState({ open: true });
export const closeCommandPalette = (): void => useCommandPalette.setState({ open: false });

const CommandDialog = lazy(() => import('./CommandDialog.tsx'));

export function CommandPalette() {
  const open = useCommandPalette((s) => s.open);
  return open ? (
    <Suspense fallback={null}>
      <CommandDialog />
    </Suspense>
  ) : null;
}
