// Records the consistency digest reads, written straight into a city's
// database by the tests of the digest.

/** A decided plan item: two hours a week of a contact person, 1 000 kr. */
export const decidedContactPersonItem = (id: string, at: Date) => ({
  id,
  category: 'CONTACT_PERSON' as const,
  plannedFrom: at,
  plannedTo: at,
  extentQuantity: 2,
  extentUnit: 'HOURS_PER_WEEK' as const,
  estimatedCost: '1000.00',
  decided: true,
});
