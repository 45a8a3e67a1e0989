// Rule 4: the disclosing municipality needs consent or another legal basis in
// force for the recipient before it discloses anything about the person.
import { dayOf, stockholmDay } from '../clock';
import { disclosureBasisInForce } from './rules';

export interface DisclosureState {
  basisInForce: boolean;
  /** Why not, when not: nothing recorded, withdrawn, or outside its dates. */
  lapse: 'MISSING' | 'WITHDRAWN' | 'EXPIRED' | null;
}

interface StoredBasis {
  recipientMunicipality: string;
  validFrom: Date;
  validTo: Date | null;
  withdrawnAt: Date | null;
}

export function disclosureState(
  bases: readonly StoredBasis[],
  recipient: string,
  today: string,
): DisclosureState {
  const forRecipient = bases
    .filter((b) => b.recipientMunicipality === recipient)
    .map((b) => ({
      recipientMunicipality: b.recipientMunicipality,
      validFrom: dayOf(b.validFrom),
      validTo: b.validTo ? dayOf(b.validTo) : null,
      withdrawnOn: b.withdrawnAt ? stockholmDay(b.withdrawnAt) : null,
    }));
  if (disclosureBasisInForce(forRecipient, recipient, today)) return { basisInForce: true, lapse: null };
  if (forRecipient.length === 0) return { basisInForce: false, lapse: 'MISSING' };
  const withdrawn = forRecipient.some((b) => b.withdrawnOn !== null && b.withdrawnOn <= today);
  return { basisInForce: false, lapse: withdrawn ? 'WITHDRAWN' : 'EXPIRED' };
}
