/**
 * SQL fragments for LanceDB `where` clauses. Values are always quoted here, never spliced raw,
 * so a path or hash holding a quote cannot change the meaning of a filter.
 */

/** How many values one `IN (...)` list holds; longer lists are split into several queries. */
export const IN_LIST_CHUNK = 1000;

/** A single-quoted SQL string literal: quotes doubled, NUL dropped (DataFusion rejects it). */
export function sqlString(value: string): string {
  return `'${value.replaceAll('\0', '').replaceAll("'", "''")}'`;
}

/** `column IN ('a', 'b')`; an empty list matches nothing. */
export function sqlIn(column: string, values: readonly string[]): string {
  if (values.length === 0) return 'false';
  return `${column} IN (${values.map(sqlString).join(', ')})`;
}

/** Joins predicates with AND; undefined when there is none. */
export function sqlAnd(predicates: (string | undefined)[]): string | undefined {
  const present = predicates.filter((p): p is string => p !== undefined);
  if (present.length === 0) return undefined;
  return present.map((p) => `(${p})`).join(' AND ');
}

/** Splits a list into pieces of at most `size`. */
export function chunks<T>(values: readonly T[], size = IN_LIST_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}
