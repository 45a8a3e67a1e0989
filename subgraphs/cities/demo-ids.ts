// Demo data ids are fixed so each city's files can name the other side of an
// assignment (the receiving city's costs point at the home city's plan items).
import { formatId, type IdKind } from '../../schema/contract/ids';

export function demoId(kind: IdKind, home: string, receiving: string, n: number): string {
  return formatId(kind, home, receiving, `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`);
}
