// Turning rule verdicts into the errors clients see: every broken rule at
// once, each with its stable code, under extensions.code CONFLICT.
import { conflict, forbidden } from '../../schema/contract/errors';
import type { MunicipalityCode } from '../../schema/contract/municipality';
import { partyOf, type Parties, type Party } from '../../schema/contract/parties';
import type { Verdict } from './rules';

export function enforce(verdict: Verdict, action: string): void {
  if (verdict.length === 0) return;
  throw conflict(
    `${action} refused: ${verdict.map((v) => v.message).join(' ')}`,
    verdict.map((v) => v.rule),
    { violations: verdict.map((v) => ({ rule: v.rule, message: v.message })) },
  );
}

/** Only the home or the receiving municipality may act, each in its own role. */
export function requireParty(
  caller: MunicipalityCode,
  assignment: Parties,
  role: Party | 'either',
  action: string,
) {
  const party = partyOf(caller, assignment);
  if (!party || (role !== 'either' && party !== role)) {
    throw forbidden(
      role === 'either'
        ? `${action}: only the parties to the assignment may do this`
        : `${action}: only the ${role} municipality may do this`,
      { requiredParty: role },
    );
  }
  return party;
}
