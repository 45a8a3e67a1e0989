// Rule 10: with one or two people a year per direction, a pair's figures
// identify a person. They go in full only to that pair's two parties; anyone
// else sees aggregates in which every cell counts at least the agreement's
// minimum number of people, smaller cells suppressed and marked as such.

/** Who may see a pair's figures in full: its two parties. */
export function seesPairInFull(viewer: string, pair: { home: string; receiving: string }): boolean {
  return viewer === pair.home || viewer === pair.receiving;
}

export interface Cell<T> {
  /** People (assignments) the cell counts. */
  people: number;
  value: T;
}

/** A cell as shown to someone outside the pair: the value, or nothing, marked suppressed. */
export type Shown<T> = { suppressed: false; value: T } | { suppressed: true; value: null };

export function showCell<T>(cell: Cell<T>, minimum: number): Shown<T> {
  return cell.people >= minimum
    ? { suppressed: false, value: cell.value }
    : { suppressed: true, value: null };
}
