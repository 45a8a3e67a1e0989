// Group commit for an append-only log: entries that arrive while a write is
// under way go together in the next one. Each caller still waits until its
// own entry is stored (nothing is answered unlogged), but the chain's lock is
// taken once per batch rather than once per request, so concurrent readers
// do not queue on it.

/** Most entries written in one statement. */
const MAX_BATCH = 200;

interface Pending<E, S> {
  entry: E;
  stored(entry: S): void;
  failed(error: unknown): void;
}

/** An append function over `write`, which stores a batch and returns each entry as stored, in order. */
export function groupWriter<E, S>(write: (batch: E[]) => Promise<S[]>): (entry: E) => Promise<S> {
  const queue: Pending<E, S>[] = [];
  let writing = false;
  const drain = async () => {
    writing = true;
    while (queue.length > 0) {
      const batch = queue.splice(0, MAX_BATCH);
      try {
        const stored = await write(batch.map((p) => p.entry));
        batch.forEach((p, i) => p.stored(stored[i]!));
      } catch (error) {
        for (const p of batch) p.failed(error);
      }
    }
    writing = false;
  };
  return (entry) =>
    new Promise<S>((stored, failed) => {
      queue.push({ entry, stored, failed });
      if (!writing) void drain();
    });
}
