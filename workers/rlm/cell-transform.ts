/**
 * How a cell of model-written code becomes a script the sandbox runs, as a REPL that allows top-level
 * `await` does it (Node's REPL and browser consoles rewrite code the same way):
 *
 * - the cell runs inside an async function, so `await llm_query(…)` works at the top level;
 * - its top-level `const`, `let`, `var`, `function` and `class` declarations become global variables, so
 *   later cells see them (and may declare them again without a "redeclaration" error);
 * - the value of its last expression is returned, so the cell shows it as a REPL would.
 *
 * Lines are kept where they were, so an error's line number is the model's. The code is parsed here
 * (acorn), never evaluated here: only the sandbox runs it.
 */
import { parse } from 'acorn';

export type TransformedCell =
  | { ok: true; code: string; names: string[] }
  | {
      ok: false;
      message: string;
      line?: number;
      /** The code used import or export, which the sandbox never has. */
      moduleSyntax: boolean;
    };

interface Node {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

function bindingNames(pattern: Node | null | undefined, out: string[]): void {
  if (!pattern) return;
  switch (pattern.type) {
    case 'Identifier':
      out.push(pattern.name as string);
      return;
    case 'ObjectPattern':
      for (const p of pattern.properties as Node[])
        bindingNames((p.type === 'RestElement' ? p.argument : p.value) as Node, out);
      return;
    case 'ArrayPattern':
      for (const e of pattern.elements as (Node | null)[]) bindingNames(e, out);
      return;
    case 'RestElement':
      bindingNames(pattern.argument as Node, out);
      return;
    case 'AssignmentPattern':
      bindingNames(pattern.left as Node, out);
      return;
  }
}

export function transformCell(source: string): TransformedCell {
  let program: Node;
  try {
    program = parse(source, {
      ecmaVersion: 'latest',
      sourceType: 'script',
      allowAwaitOutsideFunction: true,
      locations: true,
    }) as unknown as Node;
  } catch (e) {
    const err = e as { message?: string; loc?: { line: number } };
    const message = (err.message ?? String(e)).replace(/\s*\(\d+:\d+\)$/, '');
    return {
      ok: false,
      message,
      ...(err.loc ? { line: err.loc.line } : {}),
      moduleSyntax: /'import' and 'export'|import\.meta|Cannot use import/.test(message),
    };
  }
  const names: string[] = [];
  const functions: string[] = [];
  const edits: { start: number; end: number; text: string }[] = [];
  const text = (n: Node) => source.slice(n.start, n.end);
  const body = program.body as Node[];
  body.forEach((statement, i) => {
    const last = i === body.length - 1;
    if (statement.type === 'VariableDeclaration') {
      const parts: string[] = [];
      for (const d of statement.declarations as Node[]) {
        const id = d.id as Node;
        bindingNames(id, names);
        const init = d.init as Node | null;
        if (init) parts.push(`(${text(id)} = ${text(init)})`);
        else if (id.type === 'Identifier') parts.push(`(${text(id)} = void 0)`);
      }
      // Keep the statement's newlines so later lines keep their numbers.
      const lines = text(statement).split('\n').length - 1;
      const joined = parts.join(', ');
      const joinedLines = joined.split('\n').length - 1;
      edits.push({
        start: statement.start,
        end: statement.end,
        text: `${joined};${'\n'.repeat(Math.max(0, lines - joinedLines))}`,
      });
    } else if (statement.type === 'FunctionDeclaration') {
      // Left in place (hoisted inside the async function as usual) and copied out at its start.
      const name = (statement.id as Node).name as string;
      names.push(name);
      functions.push(name);
    } else if (statement.type === 'ClassDeclaration') {
      const name = (statement.id as Node).name as string;
      names.push(name);
      edits.push({ start: statement.start, end: statement.end, text: `${name} = ${text(statement)};` });
    } else if (last && statement.type === 'ExpressionStatement' && !('directive' in statement)) {
      const expression = statement.expression as Node;
      edits.push({ start: statement.start, end: statement.end, text: `return (${text(expression)});` });
    }
  });
  let code = source;
  for (const edit of edits.sort((a, b) => b.start - a.start)) {
    code = code.slice(0, edit.start) + edit.text + code.slice(edit.end);
  }
  const unique = [...new Set(names)];
  const declare = unique.length > 0 ? `var ${unique.join(', ')}; ` : '';
  const exportFunctions = functions.map((f) => `globalThis.${f} = ${f}; `).join('');
  return { ok: true, names: unique, code: `${declare}(async () => { ${exportFunctions}${code}\n})()` };
}
