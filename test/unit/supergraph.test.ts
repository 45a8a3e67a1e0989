// The checked-in supergraph is what the gateway serves; it must be exactly
// what the role schemas compose to, and it must carry no personal data.
import { readFileSync } from 'node:fs';
import { parse, type DocumentNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { composeSupergraph } from '../../schema/compose';
import { SUPERGRAPH_FILE } from '../../schema/files';

const composed = composeSupergraph();

/** Every "Type.field" of object, interface and input types (and their extensions). */
function fieldsOf(document: DocumentNode): string[] {
  const names: string[] = [];
  for (const definition of document.definitions) {
    if (!('fields' in definition) || !definition.fields) continue;
    for (const field of definition.fields) names.push(`${definition.name.value}.${field.name.value}`);
  }
  return names;
}

// Names of person data that only a city's internal API may expose.
const PERSONAL = /personName|personalIdentityNumber|personnummer|threat|note/i;
const personalFields = (document: DocumentNode) =>
  fieldsOf(document).filter((name) => PERSONAL.test(name.split('.')[1]!));

describe('the supergraph', () => {
  it('composes without errors', () => {
    expect(composed.errors).toEqual([]);
    expect(composed.supergraphSdl).toContain('type Query');
  });

  it('is checked in exactly as composed', () => {
    const checkedIn = readFileSync(SUPERGRAPH_FILE, 'utf8');

    expect(composed.supergraphSdl, 'schema/supergraph.graphql is stale: run `npm run compose`').toBe(
      checkedIn,
    );
  });

  it('exposes the federated permissions and the agreement data', () => {
    const fields = fieldsOf(parse(composed.supergraphSdl!));

    expect(fields).toEqual(
      expect.arrayContaining([
        'Query.assignments',
        'Query.assignment',
        'Query.interventionOffer',
        'Query.municipalities',
        'Assignment.costs',
        'Assignment.planSummary',
      ]),
    );
  });

  it('carries no field for person data', () => {
    expect(personalFields(parse(composed.supergraphSdl!))).toEqual([]);
  });

  it('would notice person data, as in the city internal API that is never composed', () => {
    const internal = readFileSync(new URL('../../schema/internal.graphql', import.meta.url), 'utf8');

    expect(personalFields(parse(internal))).toEqual(
      expect.arrayContaining(['Case.personName', 'Case.personalIdentityNumber', 'Case.threat', 'Case.notes']),
    );
  });
});
