import { describe, expect, it } from 'vitest';
import { transformCell } from './cell-transform.ts';

describe('transformCell', () => {
  it('turns top-level declarations into globals, keeps functions hoisted and returns the last expression', () => {
    const t = transformCell('const { a, b: [c] } = o;\nlet d;\nfunction f() {}\nclass K {}\nf(a)');
    expect(t.ok).toBe(true);
    if (!t.ok) return;
    expect(t.names.sort()).toEqual(['K', 'a', 'c', 'd', 'f']);
    expect(t.code).toContain('var ');
    expect(t.code).toContain('globalThis.f = f;');
    expect(t.code).toContain('return (f(a));');
    expect(t.code).toContain('(d = void 0)');
  });

  it('keeps line numbers: the third line of the cell is the third line of the script', () => {
    const t = transformCell('const a = 1;\nconst b = [\n  2,\n];\nthrow new Error("x")');
    expect(t.ok).toBe(true);
    if (t.ok) expect(t.code.split('\n')[4]).toContain('throw new Error');
  });

  it('reports syntax errors with their line, and module syntax apart', () => {
    const bad = transformCell('a = 1\nb = (');
    expect(bad).toMatchObject({ ok: false, line: 2, moduleSyntax: false });
    expect(transformCell('import x from "y"')).toMatchObject({ ok: false, moduleSyntax: true });
    expect(transformCell('export const z = 1')).toMatchObject({ ok: false, moduleSyntax: true });
  });

  it('leaves declarations inside blocks and loops alone', () => {
    const t = transformCell('for (let i = 0; i < 3; i++) { const x = i }\nif (true) { let y = 1 }');
    expect(t.ok && t.names).toEqual([]);
  });
});
