import type { Type } from '../../workers/lang/index.ts';

/**
 * One colour per type family, so a port's colour says what flows through it. CSS variables so the dark
 * and light themes each pick readable shades (see styles.css `--t-*`).
 */
export function typeColorVar(t: Type | undefined): string {
  if (!t) return 'var(--t-var)';
  switch (t.tag) {
    case 'Str':
      return 'var(--t-str)';
    case 'Int':
      return 'var(--t-int)';
    case 'Bool':
      return 'var(--t-bool)';
    case 'Counts':
      return 'var(--t-counts)';
    case 'Json':
      return 'var(--t-json)';
    case 'List':
      return 'var(--t-list)';
    case 'Pair':
      return 'var(--t-pair)';
    case 'Fn':
      return 'var(--t-fn)';
    case 'Var':
      return 'var(--t-var)';
  }
}

/** The colour of a type as the checker writes it (`List<Str>`, `Pair<A, B>`, `A → B`, `T_x`). */
export function writtenTypeColorVar(written: string): string {
  if (written.includes('→')) return 'var(--t-fn)';
  const head = /^[A-Za-z_]+/.exec(written)?.[0] ?? '';
  switch (head) {
    case 'Str':
    case 'Int':
    case 'Bool':
    case 'Counts':
    case 'Json':
    case 'List':
    case 'Pair':
      return `var(--t-${head.toLowerCase()})`;
    default:
      return 'var(--t-var)';
  }
}
