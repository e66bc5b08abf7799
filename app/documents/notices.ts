/** Messages for the user about documents (import refused, save damaged, example opened). */
import { create } from 'zustand';

export interface Notice {
  id: number;
  kind: 'error' | 'info';
  text: string;
  /** Offered as a button beside the message. */
  action?: { label: string; run: () => void };
}

interface NoticeState {
  notices: Notice[];
  push(n: Omit<Notice, 'id'>): void;
  dismiss(id: number): void;
}

let next = 1;

export const useNotices = create<NoticeState>()((set) => ({
  notices: [],
  push: (n) => {
    const id = next++;
    set((s) => ({ notices: [...s.notices.slice(-3), { ...n, id }] }));
    // Information fades; errors stay until dismissed.
    if (n.kind === 'info')
      setTimeout(() => set((s) => ({ notices: s.notices.filter((x) => x.id !== id) })), 5000);
  },
  dismiss: (id) => set((s) => ({ notices: s.notices.filter((x) => x.id !== id) })),
}));
