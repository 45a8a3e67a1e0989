// Batched loading: every entity fetch and nested field resolves with one SQL
// statement per batch, however many records the gateway asks about.
import DataLoader from 'dataloader';
import { inSpan, SpanKind } from '../../runtime/telemetry';

/** The row for each key, in the keys' order; null where there is none. */
export function byKey<K, V>(keys: readonly K[], rows: V[], keyOf: (row: V) => K): (V | null)[] {
  const found = new Map(rows.map((row) => [keyOf(row), row]));
  return keys.map((key) => found.get(key) ?? null);
}

/** The rows of each key, in the keys' order and the rows' own order. */
export function groupByKey<K, V>(keys: readonly K[], rows: V[], keyOf: (row: V) => K): V[][] {
  const groups = new Map<K, V[]>(keys.map((key) => [key, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((key) => groups.get(key) ?? []);
}

/**
 * A DataLoader whose every batch is one span of the request's trace, naming
 * the entity and the batch size; never keys, parameters or rows.
 */
export function batched<K, V>(entity: string, load: (keys: readonly K[]) => Promise<V[]>): DataLoader<K, V> {
  return new DataLoader<K, V>((keys) =>
    inSpan(
      `load ${entity}`,
      {
        kind: SpanKind.CLIENT,
        attributes: { 'db.system.name': 'postgresql', entity, 'db.operation.batch.size': keys.length },
      },
      () => load(keys),
    ),
  );
}
