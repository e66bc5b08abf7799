/**
 * Unification of types with variables (docs/language.md, "Types"). Bindings are kept in a substitution that can be
 * rolled back, so a failed unification leaves no half-applied bindings behind and the checker can go
 * on to report the next problem.
 */
import { showType, type Type } from './types.ts';

export class Substitution {
  private readonly bindings = new Map<string, Type>();

  /** The type with every bound variable replaced, as deep as it goes. */
  resolve(t: Type, depth = 0): Type {
    if (depth > 200) return t; // cannot happen with the occurs check; a guard, not a rule
    switch (t.tag) {
      case 'Var': {
        const bound = this.bindings.get(t.name);
        return bound ? this.resolve(bound, depth + 1) : t;
      }
      case 'List':
        return { tag: 'List', item: this.resolve(t.item, depth + 1) };
      case 'Pair':
        return {
          tag: 'Pair',
          first: this.resolve(t.first, depth + 1),
          second: this.resolve(t.second, depth + 1),
        };
      case 'Fn':
        return {
          tag: 'Fn',
          params: t.params.map((p) => this.resolve(p, depth + 1)),
          result: this.resolve(t.result, depth + 1),
        };
      default:
        return t;
    }
  }

  /** Unifies a and b; on failure nothing is bound and false is returned. */
  unify(a: Type, b: Type): boolean {
    const added: string[] = [];
    const ok = this.unifyInner(a, b, added);
    if (!ok) for (const name of added) this.bindings.delete(name);
    return ok;
  }

  /** Whether a and b would unify, leaving the substitution as it was either way (a question, not a step). */
  unifies(a: Type, b: Type): boolean {
    const added: string[] = [];
    const ok = this.unifyInner(a, b, added);
    for (const name of added) this.bindings.delete(name);
    return ok;
  }

  private bind(name: string, t: Type, added: string[]): boolean {
    if (t.tag === 'Var' && t.name === name) return true;
    if (occurs(name, this.resolve(t))) return false;
    this.bindings.set(name, t);
    added.push(name);
    return true;
  }

  private unifyInner(x: Type, y: Type, added: string[]): boolean {
    const a = x.tag === 'Var' ? this.resolve(x) : x;
    const b = y.tag === 'Var' ? this.resolve(y) : y;
    if (a.tag === 'Var') return this.bind(a.name, b, added);
    if (b.tag === 'Var') return this.bind(b.name, a, added);
    switch (a.tag) {
      case 'List':
        return b.tag === 'List' && this.unifyInner(a.item, b.item, added);
      case 'Pair':
        return (
          b.tag === 'Pair' &&
          this.unifyInner(a.first, b.first, added) &&
          this.unifyInner(a.second, b.second, added)
        );
      case 'Fn':
        return (
          b.tag === 'Fn' &&
          a.params.length === b.params.length &&
          a.params.every((p, i) => this.unifyInner(p, b.params[i] as Type, added)) &&
          this.unifyInner(a.result, b.result, added)
        );
      default:
        return a.tag === b.tag;
    }
  }
}

function occurs(name: string, t: Type): boolean {
  switch (t.tag) {
    case 'Var':
      return t.name === name;
    case 'List':
      return occurs(name, t.item);
    case 'Pair':
      return occurs(name, t.first) || occurs(name, t.second);
    case 'Fn':
      return t.params.some((p) => occurs(name, p)) || occurs(name, t.result);
    default:
      return false;
  }
}

/** Renames every variable with a prefix: each node (or container scope) gets its own variables. */
export function scoped(t: Type, prefix: string): Type {
  switch (t.tag) {
    case 'Var':
      return { tag: 'Var', name: `${prefix}#${t.name}` };
    case 'List':
      return { tag: 'List', item: scoped(t.item, prefix) };
    case 'Pair':
      return { tag: 'Pair', first: scoped(t.first, prefix), second: scoped(t.second, prefix) };
    case 'Fn':
      return { tag: 'Fn', params: t.params.map((p) => scoped(p, prefix)), result: scoped(t.result, prefix) };
    default:
      return t;
  }
}

/** How a checked type is shown to users: scoped variables lose their prefix (`Map1#A` → `A`). */
export function showChecked(t: Type): string {
  return showType(unscoped(t));
}

function unscoped(t: Type): Type {
  switch (t.tag) {
    case 'Var':
      return { tag: 'Var', name: t.name.slice(t.name.lastIndexOf('#') + 1) };
    case 'List':
      return { tag: 'List', item: unscoped(t.item) };
    case 'Pair':
      return { tag: 'Pair', first: unscoped(t.first), second: unscoped(t.second) };
    case 'Fn':
      return { tag: 'Fn', params: t.params.map(unscoped), result: unscoped(t.result) };
    default:
      return t;
  }
}
