// Organisational units and their merges (rule 12). A merged unit keeps its
// id and points at its successor; cases keep the unit they had and find the
// responsible unit by following the chain.
import { badUserInput, conflict, notFound } from '../../schema/contract/errors';
import type { UnitKind } from '../db/generated/client';
import type { Tx } from './cases';
import type { UnitModel } from './models';
import { UNIT_ALREADY_MERGED, UNIT_MERGED } from './ruleCodes';

const label = (unit: UnitModel) => `${unit.name} (${unit.id})`;

/**
 * The unit currently responsible: the end of the merge chain. A cycle would
 * be a data error, so the walk stops at a repeat.
 */
export async function followMergeChain(db: Tx, unit: UnitModel): Promise<UnitModel> {
  let current = unit;
  const seen = new Set([unit.id]);
  while (current.successorId && !seen.has(current.successorId)) {
    seen.add(current.successorId);
    current = await db.unit.findUniqueOrThrow({ where: { id: current.successorId } });
  }
  return current;
}

async function mergedInto(tx: Tx, unit: UnitModel): Promise<string> {
  const successor = unit.successorId ? await tx.unit.findUnique({ where: { id: unit.successorId } }) : null;
  if (!successor) return unit.successorId ?? 'another unit';
  const current = await followMergeChain(tx, successor);
  return current.id === successor.id
    ? label(successor)
    : `${label(successor)}, now part of ${label(current)}`;
}

/** A unit cases can be placed with: it exists and has not merged. */
export async function usableUnit(tx: Tx, unitId: string, field = 'unitId'): Promise<UnitModel> {
  const unit = await tx.unit.findUnique({ where: { id: unitId } });
  if (!unit) throw notFound(`No unit with id ${unitId}`, { field, unitId });
  if (unit.successorId)
    throw conflict(
      `Unit ${label(unit)} has merged into ${await mergedInto(tx, unit)}; use the successor`,
      [UNIT_MERGED],
      { field, unitId, successorId: unit.successorId },
    );
  return unit;
}

export interface SuccessorInput {
  id: string;
  name: string;
  kind: UnitKind;
}

/**
 * Merges `unitIds` into `successor`, creating it when its id is new. Refuses
 * unknown units, units that have merged already and a successor that is one
 * of the merged units or has merged itself. Call inside a transaction.
 */
export async function mergeUnits(
  tx: Tx,
  unitIds: string[],
  successor: SuccessorInput,
  now: Date,
): Promise<UnitModel> {
  if (unitIds.includes(successor.id))
    throw conflict(`Unit ${successor.id} cannot merge into itself`, [UNIT_ALREADY_MERGED], {
      field: 'successor.id',
      unitId: successor.id,
    });

  const units = await tx.unit.findMany({ where: { id: { in: unitIds } } });
  const missing = unitIds.filter((id) => !units.some((u) => u.id === id));
  if (missing.length > 0)
    throw notFound(`No unit with id ${missing.join(', ')}`, { field: 'unitIds', unitIds: missing });
  const merged = units.find((u) => u.successorId);
  if (merged)
    throw conflict(
      `Unit ${label(merged)} has already merged into ${await mergedInto(tx, merged)}`,
      [UNIT_ALREADY_MERGED],
      { field: 'unitIds', unitId: merged.id, successorId: merged.successorId },
    );

  const existing = await tx.unit.findUnique({ where: { id: successor.id } });
  if (existing?.successorId)
    throw conflict(
      `The successor ${label(existing)} has already merged into ${await mergedInto(tx, existing)}`,
      [UNIT_ALREADY_MERGED],
      { field: 'successor.id', unitId: existing.id, successorId: existing.successorId },
    );
  if (existing && existing.name !== successor.name)
    throw badUserInput(
      `Unit ${existing.id} exists with the name ${JSON.stringify(existing.name)}; give that name or a new id`,
      { field: 'successor.name' },
    );
  if (existing && existing.kind !== successor.kind)
    throw badUserInput(`Unit ${existing.id} exists with the kind ${existing.kind}`, {
      field: 'successor.kind',
    });
  const target =
    existing ??
    (await tx.unit.create({ data: { id: successor.id, name: successor.name, kind: successor.kind } }));

  // Conditional on "not merged yet": a concurrent merge of the same unit makes the count fall short.
  const { count } = await tx.unit.updateMany({
    where: { id: { in: unitIds }, successorId: null },
    data: { successorId: target.id, mergedAt: now },
  });
  if (count !== unitIds.length)
    throw conflict(
      'One of the units merged while this merge ran; nothing was changed',
      [UNIT_ALREADY_MERGED],
      {
        field: 'unitIds',
      },
    );
  return target;
}
