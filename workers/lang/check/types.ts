/**
 * The types of the language (docs/language.md, "Types"). Ports are typed in the node catalog; type variables make
 * combinators polymorphic and are instantiated fresh per node by the checker.
 */
export type Type =
  | { tag: 'Str' }
  | { tag: 'Int' }
  | { tag: 'Bool' }
  | { tag: 'Counts' }
  | { tag: 'Json' }
  | { tag: 'List'; item: Type }
  | { tag: 'Pair'; first: Type; second: Type }
  | { tag: 'Fn'; params: Type[]; result: Type }
  | { tag: 'Var'; name: string };

export const Str: Type = { tag: 'Str' };
export const Int: Type = { tag: 'Int' };
export const Bool: Type = { tag: 'Bool' };
export const Counts: Type = { tag: 'Counts' };
export const Json: Type = { tag: 'Json' };
export const List = (item: Type): Type => ({ tag: 'List', item });
export const Pair = (first: Type, second: Type): Type => ({ tag: 'Pair', first, second });
export const Fn = (params: Type[], result: Type): Type => ({ tag: 'Fn', params, result });
export const Var = (name: string): Type => ({ tag: 'Var', name });

/** How a type is written to users: `List<Str>`, `Pair<A, B>`, `(A, A) → A`. */
export function showType(t: Type): string {
  switch (t.tag) {
    case 'List':
      return `List<${showType(t.item)}>`;
    case 'Pair':
      return `Pair<${showType(t.first)}, ${showType(t.second)}>`;
    case 'Fn':
      return `${t.params.length === 1 ? showType(t.params[0]!) : `(${t.params.map(showType).join(', ')})`} → ${showType(t.result)}`;
    case 'Var':
      return t.name;
    default:
      return t.tag;
  }
}
