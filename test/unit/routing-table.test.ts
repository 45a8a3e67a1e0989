// The declared routing table must cover every root field a role's SDL
// declares, and the list fan-out must reach exactly the cities that can hold
// assignments the caller is party to.
import { readFileSync } from 'node:fs';
import { Kind, parse, type FieldDefinitionNode, type ObjectTypeDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { assignmentListTargets, ROUTING, type RoleName } from '../../gateway/routing/routes';

const ROLES: RoleName[] = ['casework', 'execution'];
const FEDERATION_FIELDS = new Set(['_entities', '_service']);

/** "Query.field" / "Mutation.field" -> definition, from a role's SDL file. */
function rootFields(role: RoleName): Map<string, FieldDefinitionNode> {
  const sdl = readFileSync(new URL(`../../schema/${role}.graphql`, import.meta.url), 'utf8');
  const fields = new Map<string, FieldDefinitionNode>();
  for (const definition of parse(sdl).definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION)
      continue;
    const type = (definition as ObjectTypeDefinitionNode).name.value;
    if (type !== 'Query' && type !== 'Mutation') continue;
    for (const field of definition.fields ?? []) {
      if (!FEDERATION_FIELDS.has(field.name.value)) fields.set(`${type}.${field.name.value}`, field);
    }
  }
  return fields;
}

describe('the routing table', () => {
  it('finds the root fields of each role in its SDL', () => {
    const casework = [...rootFields('casework').keys()];
    const execution = [...rootFields('execution').keys()];
    expect(casework).toEqual(
      expect.arrayContaining(['Query.assignments', 'Query.assignment', 'Mutation.proposeAssignment']),
    );
    expect(execution).toEqual(
      expect.arrayContaining(['Query.interventionOffer', 'Mutation.respondToAssignment']),
    );
    expect(casework.some((name) => execution.includes(name))).toBe(false);
  });

  it.each(ROLES)('routes every root field the %s SDL declares', (role) => {
    const missing = [...rootFields(role).keys()].filter((name) => !(name in ROUTING[role].root));

    expect(missing, `add these to ROUTING.${role}.root in gateway/routing/routes.ts`).toEqual([]);
  });

  it.each(ROLES)('has no route for a field the %s SDL does not declare', (role) => {
    const declared = rootFields(role);
    const stale = Object.keys(ROUTING[role].root).filter((name) => !declared.has(name));

    expect(stale).toEqual([]);
  });

  it.each(ROLES)('routes %s fields by an argument the field really has', (role) => {
    const declared = rootFields(role);
    for (const [name, route] of Object.entries(ROUTING[role].root)) {
      if (route.kind === 'fanOut' || route.kind === 'caller') continue;
      const args = declared.get(name)?.arguments?.map((a) => a.name.value);
      // A dotted argument names a field of an input argument: the input must exist.
      expect(args, name).toContain(route.argument.split('.')[0]);
    }
  });

  it('sends casework entities to the home city and execution entities to the receiving city', () => {
    expect(ROUTING.casework.entityParty).toBe('home');
    expect(ROUTING.execution.entityParty).toBe('receiving');
  });

  it('routes one assignment to the home city its id names', () => {
    expect(ROUTING.casework.root['Query.assignment']).toEqual({
      kind: 'byId',
      argument: 'id',
      party: 'home',
    });
  });

  it('uses the SDL default of `first` as the page size of the assignment list', () => {
    const route = ROUTING.casework.root['Query.assignments'];
    const first = rootFields('casework')
      .get('Query.assignments')!
      .arguments!.find((a) => a.name.value === 'first')!;

    expect(route?.kind).toBe('fanOut');
    expect(first.defaultValue?.kind).toBe(Kind.INT);
    const sdlDefault = Number((first.defaultValue as { value: string }).value);
    expect(sdlDefault).toBe(20);
    expect(route?.kind === 'fanOut' && route.merge === 'connection' && route.defaultPageSize).toBe(
      sdlDefault,
    );
  });
});

describe('which cities the assignment list asks', () => {
  const STOCKHOLM = '0180';
  const GOTEBORG = '1480';
  const MALMO = '1280';
  const NETWORK = [STOCKHOLM, GOTEBORG, MALMO];

  const targets = (filter: Record<string, unknown> | undefined | null, caller = STOCKHOLM) =>
    assignmentListTargets((name) => (name === 'filter' ? filter : undefined), caller, NETWORK);

  it('asks every city when there is no filter: the caller may be the receiving party anywhere', () => {
    expect(targets(undefined)).toEqual([STOCKHOLM, GOTEBORG, MALMO]);
    expect(targets(null)).toEqual([STOCKHOLM, GOTEBORG, MALMO]);
    expect(targets({})).toEqual([STOCKHOLM, GOTEBORG, MALMO]);
  });

  it('asks every city when only a status is filtered', () => {
    expect(targets({ status: ['ACTIVE'] })).toEqual([STOCKHOLM, GOTEBORG, MALMO]);
  });

  it('asks only the home city named by a homeMunicipality filter', () => {
    expect(targets({ homeMunicipality: GOTEBORG })).toEqual([GOTEBORG]);
    expect(targets({ homeMunicipality: STOCKHOLM })).toEqual([STOCKHOLM]);
  });

  it('asks no city for a home municipality outside the network', () => {
    expect(targets({ homeMunicipality: '0580' })).toEqual([]);
  });

  it('asks only the caller city when the receiving party is another municipality (caller must be home)', () => {
    expect(targets({ receivingMunicipality: MALMO })).toEqual([STOCKHOLM]);
    expect(targets({ receivingMunicipality: STOCKHOLM }, GOTEBORG)).toEqual([GOTEBORG]);
  });

  it('asks every city when the receiving party is the caller itself', () => {
    expect(targets({ receivingMunicipality: STOCKHOLM })).toEqual([STOCKHOLM, GOTEBORG, MALMO]);
  });

  it('narrows by both parties', () => {
    // Stockholm as home, Göteborg receiving: only Stockholm holds those.
    expect(targets({ homeMunicipality: STOCKHOLM, receivingMunicipality: GOTEBORG })).toEqual([STOCKHOLM]);
    // Göteborg as home, Stockholm (the caller) receiving: only Göteborg holds those.
    expect(targets({ homeMunicipality: GOTEBORG, receivingMunicipality: STOCKHOLM })).toEqual([GOTEBORG]);
    // Göteborg to Malmö: Stockholm is party to none of them, so no city is asked.
    expect(targets({ homeMunicipality: GOTEBORG, receivingMunicipality: MALMO })).toEqual([]);
  });

  it('ignores filter values that are not municipality strings', () => {
    expect(targets({ homeMunicipality: null, receivingMunicipality: null })).toEqual([
      STOCKHOLM,
      GOTEBORG,
      MALMO,
    ]);
  });
});
