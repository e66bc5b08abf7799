/**
 * LLM prompt templates: `{{chunk}}`, `{{query}}` and named inputs `{{name}}`. A template is data, never
 * code: substitution is plain text replacement of the placeholders found by `parseTemplate`.
 */

export const RESERVED_VARIABLES = ['chunk', 'query'] as const;
const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export interface TemplateInfo {
  /** Variable names in order of first appearance (chunk and query included). */
  variables: string[];
  /** Malformed placeholders: `{{ }}`, `{{a b}}`, an unclosed `{{`. */
  problems: string[];
  /** The template with placeholders removed, to size its fixed part in tokens. */
  fixedText: string;
}

export function parseTemplate(template: string): TemplateInfo {
  const variables: string[] = [];
  const problems: string[] = [];
  let fixedText = '';
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{{', i);
    if (open < 0) {
      fixedText += template.slice(i);
      break;
    }
    fixedText += template.slice(i, open);
    const close = template.indexOf('}}', open + 2);
    if (close < 0) {
      problems.push(`unclosed "{{" at character ${open}`);
      fixedText += template.slice(open);
      break;
    }
    const name = template.slice(open + 2, close).trim();
    if (NAME.test(name)) {
      if (!variables.includes(name)) variables.push(name);
    } else {
      problems.push(
        `"{{${template.slice(open + 2, close)}}}" is not a variable name (letters, digits and _)`,
      );
    }
    i = close + 2;
  }
  return { variables, problems, fixedText };
}

/** Named inputs: the template's variables other than chunk and query. Each becomes an input port. */
export function namedInputs(template: string): string[] {
  return parseTemplate(template).variables.filter(
    (v) => !(RESERVED_VARIABLES as readonly string[]).includes(v),
  );
}

/** Replaces every well-formed placeholder; values are inserted verbatim (never re-expanded). */
export function renderTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{\s*([A-Za-z_][A-Za-z0-9_]{0,63})\s*\}\}/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? (values[name] as string) : whole,
  );
}
