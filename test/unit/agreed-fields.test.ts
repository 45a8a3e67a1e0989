// The agreed field set is enforced at composition: a federated schema that
// exposes anything not on the list does not compose, and the error names it.
import { describe, expect, it } from 'vitest';
import { agreedFields, composeSupergraph } from '../../schema/compose';
import { subgraphSdl } from '../../schema/files';

describe('the agreed field set', () => {
  it('lets today’s role schemas compose', () => {
    expect(composeSupergraph().errors).toEqual([]);
  });

  it('refuses a casework schema that leaks a person’s identity, naming the field', () => {
    const leaky = `${subgraphSdl('casework')}
extend type Assignment {
  personName: String
  personalIdentityNumber: String
}`;
    const { supergraphSdl, errors } = composeSupergraph({ casework: leaky });
    expect(supergraphSdl).toBeUndefined();
    expect(errors).toEqual([
      'Assignment.personName (in casework) is not in the agreed field set',
      'Assignment.personalIdentityNumber (in casework) is not in the agreed field set',
    ]);
  });

  it('refuses a new type in the execution schema, such as a threat assessment', () => {
    const leaky = `${subgraphSdl('execution')}
type ThreatAssessment { level: String, source: String }
enum PoliceUnit { BOPS }`;
    expect(composeSupergraph({ execution: leaky }).errors).toEqual([
      'ThreatAssessment.level (in execution) is not in the agreed field set',
      'ThreatAssessment.source (in execution) is not in the agreed field set',
      'PoliceUnit (in execution) is not in the agreed field set',
    ]);
  });

  it('lists nothing about identity, threat, police, notes or consent', () => {
    const entries = [...agreedFields()];
    expect(entries.length).toBeGreaterThan(100);
    expect(
      entries.filter((e) =>
        /person|identity|threat|police|note|consent|legalReference|scope|housing$/i.test(e),
      ),
    ).toEqual([]);
  });
});
