// One declaration each: the agreement's lists (the §6 catalogue, statuses,
// reasons, answers) are declared once, in the rules, and every schema that
// names them follows: the SDL enums of each role and the composed
// supergraph, and the Prisma enums of the cities' databases.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import internals from '@prisma/internals';
import { Kind, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  ASSIGNMENT_STATUSES,
  CANNOT_DELIVER_REASONS,
  CATALOGUE,
  CONSULTATION_ANSWERS,
  DECLINE_REASONS,
  DELIVERY_STATUSES,
  NOT_COVERED,
  RECONCILIATION_STATUSES,
  REIMBURSEMENT_SOURCES,
  TERMINATION_REASONS,
} from '../../subgraphs/agreement/rules';

const schemaDir = fileURLToPath(new URL('../../schema/', import.meta.url));
const prismaSchema = fileURLToPath(new URL('../../subgraphs/prisma/schema.prisma', import.meta.url));

interface Declaration {
  list: readonly string[];
  /** The SDL enum, and every schema file that must declare it. */
  sdl: { name: string; in: string[] } | null;
  /** The Prisma enum; null where the database has none. */
  prisma: string | null;
}

const BOTH_ROLES = ['casework.graphql', 'execution.graphql', 'supergraph.graphql'];

const DECLARATIONS: Record<string, Declaration> = {
  CATALOGUE: {
    list: CATALOGUE,
    sdl: { name: 'InterventionCategory', in: BOTH_ROLES },
    prisma: 'InterventionCategory',
  },
  ASSIGNMENT_STATUSES: {
    list: ASSIGNMENT_STATUSES,
    sdl: { name: 'AssignmentStatus', in: ['casework.graphql', 'supergraph.graphql'] },
    prisma: 'AssignmentStatus',
  },
  TERMINATION_REASONS: {
    list: TERMINATION_REASONS,
    sdl: { name: 'TerminationReason', in: BOTH_ROLES },
    prisma: 'EndReason',
  },
  DECLINE_REASONS: {
    list: DECLINE_REASONS,
    sdl: { name: 'DeclineReason', in: BOTH_ROLES },
    prisma: 'DeclineReason',
  },
  CONSULTATION_ANSWERS: {
    list: CONSULTATION_ANSWERS,
    sdl: { name: 'ConsultationAnswer', in: BOTH_ROLES },
    prisma: 'ConsultationAnswer',
  },
  CANNOT_DELIVER_REASONS: {
    list: CANNOT_DELIVER_REASONS,
    sdl: { name: 'CannotDeliverReason', in: BOTH_ROLES },
    prisma: 'CannotDeliverReason',
  },
  DELIVERY_STATUSES: {
    list: DELIVERY_STATUSES,
    sdl: { name: 'DeliveryStatus', in: ['execution.graphql', 'supergraph.graphql'] },
    prisma: 'DeliveryStatus',
  },
  REIMBURSEMENT_SOURCES: {
    list: REIMBURSEMENT_SOURCES,
    sdl: { name: 'ReimbursementSource', in: ['casework.graphql', 'execution.graphql', 'supergraph.graphql'] },
    prisma: 'ReimbursementSource',
  },
  RECONCILIATION_STATUSES: {
    list: RECONCILIATION_STATUSES,
    sdl: { name: 'ReconciliationStatus', in: ['execution.graphql', 'supergraph.graphql'] },
    prisma: null,
  },
  // What a plan may ask for: the catalogue and the named exclusions, which the
  // plan rule refuses by name (INTERVENTION_NOT_IN_CATALOGUE).
  'CATALOGUE + NOT_COVERED': {
    list: [...CATALOGUE, ...NOT_COVERED],
    sdl: { name: 'RequestedIntervention', in: ['casework.graphql', 'supergraph.graphql'] },
    prisma: null,
  },
};

/** Every enum of every SDL file under schema/, by file and name, values in order. */
function sdlEnums(): Map<string, Map<string, string[]>> {
  const files = new Map<string, Map<string, string[]>>();
  for (const file of readdirSync(schemaDir).filter((name) => name.endsWith('.graphql'))) {
    const enums = new Map<string, string[]>();
    for (const definition of parse(readFileSync(`${schemaDir}/${file}`, 'utf8')).definitions) {
      if (definition.kind === Kind.ENUM_TYPE_DEFINITION) {
        enums.set(
          definition.name.value,
          (definition.values ?? []).map((value) => value.name.value),
        );
      }
    }
    files.set(file, enums);
  }
  return files;
}

const sdl = sdlEnums();
const { datamodel } = await internals.getDMMF({ datamodel: readFileSync(prismaSchema, 'utf8') });
const prisma = new Map(datamodel.enums.map((e) => [e.name, e.values.map((v) => v.name)]));

describe('the agreement’s lists, declared once in the rules', () => {
  for (const [name, { list, sdl: enumOf, prisma: prismaEnum }] of Object.entries(DECLARATIONS)) {
    describe(name, () => {
      if (enumOf) {
        it(`is the SDL enum ${enumOf.name} in ${enumOf.in.join(', ')}`, () => {
          const declaredIn = [...sdl].filter(([, enums]) => enums.has(enumOf.name)).map(([file]) => file);
          expect(declaredIn.sort()).toEqual([...enumOf.in].sort());
          for (const file of declaredIn) {
            expect(sdl.get(file)!.get(enumOf.name), `${file}: ${enumOf.name}`).toEqual([...list]);
          }
        });
      }
      if (prismaEnum) {
        it(`is the Prisma enum ${prismaEnum}`, () => {
          expect(prisma.get(prismaEnum)).toEqual([...list]);
        });
      }
    });
  }

  it('reads the schemas it compares (a renamed enum is not silently skipped)', () => {
    expect(sdl.get('casework.graphql')?.size).toBeGreaterThan(5);
    expect(sdl.get('execution.graphql')?.size).toBeGreaterThan(5);
    expect(prisma.size).toBeGreaterThan(5);
  });
});
