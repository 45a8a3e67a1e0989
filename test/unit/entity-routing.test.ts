// Entity fetches are split by the city that owns each assignment: the home
// municipality for casework, the receiving one for execution. The answers
// are put back in the order the query planner asked for them.
import type { GraphQLFormattedError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { placeEntities, remapEntityError, splitByOwner } from '../../gateway/routing/entities';
import { formatId } from '../../schema/contract/ids';

const STOCKHOLM = '0180';
const GOTEBORG = '1480';
const MALMO = '1280';
const LINKOPING = '0580'; // a real municipality, but not part of this network
const NETWORK = new Set([STOCKHOLM, GOTEBORG, MALMO]);

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const assignment = (home: string, receiving: string, n: number) => ({
  __typename: 'Assignment',
  id: formatId('asg', home, receiving, uuid(n)),
});

// Planner order: what the gateway must give back, index for index.
const representations = [
  assignment(STOCKHOLM, GOTEBORG, 0),
  assignment(GOTEBORG, STOCKHOLM, 1),
  assignment(STOCKHOLM, MALMO, 2),
  assignment(MALMO, GOTEBORG, 3),
  assignment(GOTEBORG, MALMO, 4),
  assignment(STOCKHOLM, GOTEBORG, 5),
];

const groups = (split: ReturnType<typeof splitByOwner>) => Object.fromEntries(split.byCity);

describe('splitting entity representations by owning city', () => {
  it('sends casework entities to the home municipality, keeping the planner order within each city', () => {
    const split = splitByOwner(representations, 'home', NETWORK);

    expect(groups(split)).toEqual({ '0180': [0, 2, 5], '1480': [1, 4], '1280': [3] });
    expect(split.unroutable).toEqual([]);
  });

  it('sends execution entities to the receiving municipality, keeping the planner order within each city', () => {
    const split = splitByOwner(representations, 'receiving', NETWORK);

    expect(groups(split)).toEqual({ '1480': [0, 3, 5], '0180': [1], '1280': [2, 4] });
    expect(split.unroutable).toEqual([]);
  });

  it('lists the cities in the order their first entity appears', () => {
    expect([...splitByOwner(representations, 'home', NETWORK).byCity.keys()]).toEqual([
      '0180',
      '1480',
      '1280',
    ]);
    expect([...splitByOwner(representations, 'receiving', NETWORK).byCity.keys()]).toEqual([
      '1480',
      '0180',
      '1280',
    ]);
  });

  it('puts malformed ids aside as unroutable and still routes the rest', () => {
    const mixed = [
      assignment(STOCKHOLM, MALMO, 10),
      { __typename: 'Assignment', id: 'asg:0180:1280:not-a-uuid' },
      { __typename: 'Assignment', id: formatId('asg', STOCKHOLM, MALMO, uuid(11)).toUpperCase() },
      { __typename: 'Assignment', id: 42 },
      { __typename: 'Assignment' },
      null,
      assignment(GOTEBORG, STOCKHOLM, 12),
    ];

    const split = splitByOwner(mixed, 'home', NETWORK);

    expect(groups(split)).toEqual({ '0180': [0], '1480': [6] });
    expect(split.unroutable).toEqual([1, 2, 3, 4, 5]);
  });

  it('puts ids naming a municipality outside the network aside as unroutable', () => {
    const foreign = [
      assignment(LINKOPING, STOCKHOLM, 20), // home outside the network
      assignment(STOCKHOLM, LINKOPING, 21), // receiving outside the network
      assignment(MALMO, GOTEBORG, 22),
    ];

    const byHome = splitByOwner(foreign, 'home', NETWORK);
    expect(groups(byHome)).toEqual({ '0180': [1], '1280': [2] });
    expect(byHome.unroutable).toEqual([0]);

    const byReceiving = splitByOwner(foreign, 'receiving', NETWORK);
    expect(groups(byReceiving)).toEqual({ '0180': [0], '1480': [2] });
    expect(byReceiving.unroutable).toEqual([1]);
  });

  it('routes nothing for an empty batch', () => {
    const split = splitByOwner([], 'home', NETWORK);

    expect(split.byCity.size).toBe(0);
    expect(split.unroutable).toEqual([]);
  });
});

describe('reassembling the cities answers', () => {
  const costsOf = (n: number) => ({ __typename: 'Assignment', costs: { total: { amount: `${n}00.00` } } });

  it('puts each city answer back at the original index', () => {
    const split = splitByOwner(representations, 'receiving', NETWORK);
    const combined: unknown[] = representations.map(() => null);

    // Each city answers its own sub-batch, in the order it was given.
    placeEntities(combined, [costsOf(0), costsOf(3), costsOf(5)], split.byCity.get(GOTEBORG)!);
    placeEntities(combined, [costsOf(1)], split.byCity.get(STOCKHOLM)!);
    placeEntities(combined, [costsOf(2), costsOf(4)], split.byCity.get(MALMO)!);

    expect(combined).toEqual([costsOf(0), costsOf(1), costsOf(2), costsOf(3), costsOf(4), costsOf(5)]);
  });

  it('leaves nulls where a city gave no list (it failed) or a shorter one', () => {
    const combined: unknown[] = [null, null, null, null, null, null];

    placeEntities(combined, null, [0, 3, 5]);
    placeEntities(combined, undefined, [1]);
    placeEntities(combined, [costsOf(2)], [2, 4]);

    expect(combined).toEqual([null, null, costsOf(2), null, null, null]);
  });

  it('keeps an entity the city resolved to null as null', () => {
    const combined: unknown[] = ['placeholder', 'placeholder'];

    placeEntities(combined, [null, costsOf(1)], [0, 1]);

    expect(combined).toEqual([null, costsOf(1)]);
  });
});

describe('moving a city error to the original entity index', () => {
  const goteborgIndices = [0, 3, 5];

  it('rewrites ["_entities", j, ...] to the original index of the city j-th entity', () => {
    const error: GraphQLFormattedError = {
      message: 'Costs are not reported yet',
      path: ['_entities', 1, 'costs', 'entries', 0],
      extensions: { code: 'FORBIDDEN', municipality: GOTEBORG },
    };

    expect(remapEntityError(error, goteborgIndices)).toEqual({
      message: 'Costs are not reported yet',
      path: ['_entities', 3, 'costs', 'entries', 0],
      extensions: { code: 'FORBIDDEN', municipality: GOTEBORG },
    });
  });

  it('rewrites an error on the entity itself', () => {
    const error = { message: 'No such assignment', path: ['_entities', 2] };

    expect(remapEntityError(error, goteborgIndices).path).toEqual(['_entities', 5]);
  });

  it('does not change the error it was given', () => {
    const error = { message: 'boom', path: ['_entities', 0, 'costs'] };

    remapEntityError(error, goteborgIndices);

    expect(error.path).toEqual(['_entities', 0, 'costs']);
  });

  it('leaves errors without an entity path alone', () => {
    const withoutPath = { message: 'Variable "$representations" got invalid value' };
    const elsewhere = { message: 'other field', path: ['assignments', 'edges', 1] };
    const unindexed = { message: 'whole list', path: ['_entities'] };

    expect(remapEntityError(withoutPath, goteborgIndices)).toBe(withoutPath);
    expect(remapEntityError(elsewhere, goteborgIndices)).toBe(elsewhere);
    expect(remapEntityError(unindexed, goteborgIndices)).toBe(unindexed);
  });

  it('drops the path of an error pointing past the city batch rather than blaming another entity', () => {
    const error = { message: 'stray', path: ['_entities', 7, 'costs'] };

    expect(remapEntityError(error, goteborgIndices)).toEqual({ message: 'stray', path: undefined });
  });
});
