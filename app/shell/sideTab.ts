/** Which panel the right side shows: Start (the first screen's guide), the Inspector, or a code view. */
import { create } from 'zustand';

export type SideTab = 'start' | 'inspector' | 'term' | 'json';

export const useSideTab = create<{ tab: SideTab; show(tab: SideTab): void }>()((set) => ({
  tab: 'inspector',
  show: (tab) => set({ tab }),
}));
