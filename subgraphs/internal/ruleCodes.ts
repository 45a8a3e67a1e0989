// The rule codes the internal API's CONFLICT errors name. CASE_CLOSED is the
// agreement rule shared with the proposal checks; the others concern the
// city's own records (units and disclosure bases).
import type { RuleCode } from '../agreement/rules/verdict';

export const CASE_CLOSED = 'CASE_CLOSED' satisfies RuleCode;
export const UNIT_MERGED = 'UNIT_MERGED';
export const UNIT_ALREADY_MERGED = 'UNIT_ALREADY_MERGED';
export const DISCLOSURE_BASIS_ALREADY_WITHDRAWN = 'DISCLOSURE_BASIS_ALREADY_WITHDRAWN';
