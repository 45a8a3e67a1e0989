// A municipality joins by configuration alone: Uppsala (0380) runs the same
// city code from a configuration file, and the gateway learns it from the
// network file. No code or schema changes.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually';
import { DEMO_CITIES, startTestNetwork, type TestNetwork } from '../support/network';
import { agreementInForceToday, ok, prepareCase, PROPOSE } from '../support/workflow';

const uppsala = {
  code: '0380',
  name: 'Uppsala',
  configFile: fileURLToPath(new URL('../fixtures/uppsala.city.json', import.meta.url)),
};

describe('a network of four municipalities', () => {
  let network: TestNetwork;
  beforeAll(async () => {
    network = await startTestNetwork({
      cities: [...DEMO_CITIES, uppsala],
      // The demo agreement's parties plus Uppsala, in force today.
      agreements: [agreementInForceToday({ parties: ['0180', '1480', '1280', '0380'] })],
    });
  });
  afterAll(() => network?.stop());

  it('routes to the fourth city and keeps party isolation', async () => {
    const municipalities = await network.query(
      '0380',
      /* GraphQL */ `
        {
          municipalities {
            code
            name
          }
        }
      `,
    );
    expect(municipalities.data).toMatchObject({
      municipalities: expect.arrayContaining([{ code: '0380', name: 'Uppsala' }]) as unknown,
    });

    const LIST = /* GraphQL */ `
      {
        assignments(first: 50) {
          edges {
            node {
              id
              homeMunicipality
              receivingMunicipality
              status
            }
          }
        }
      }
    `;
    const asUppsala = await network.query<{ assignments: { edges: { node: { id: string } }[] } }>(
      '0380',
      LIST,
    );
    expect(asUppsala.errors).toBeUndefined();
    expect(asUppsala.data!.assignments.edges.map((e) => e.node.id)).toEqual([
      'asg:0380:0180:00000000-0000-4000-8000-000000000901',
    ]);

    // Uppsala proposes to Stockholm through the gateway: Stockholm, as
    // receiving party, then sees it first among its own (newest first).
    const caseId = await prepareCase(network, '0380', '0180', 'upp-soc');
    const proposed = ok(
      await network.query<{ proposeAssignment: { id: string } }>('0380', PROPOSE, {
        input: { caseId, receivingMunicipality: '0180' },
      }),
    ).proposeAssignment;
    // Held in Uppsala's city; Stockholm's city learns it through the durable
    // messages between cities, asynchronously: read until it has arrived.
    const asStockholm = await eventually(
      () => network.query<{ assignments: { edges: { node: { id: string } }[] } }>('0180', LIST),
      (result) => result.data?.assignments.edges[0]?.node.id === proposed.id,
    );
    expect(asStockholm.errors).toBeUndefined();
    expect(asStockholm.data!.assignments.edges[0]!.node).toEqual({
      id: proposed.id,
      homeMunicipality: '0380',
      receivingMunicipality: '0180',
      status: 'PROPOSED',
    });
    // Malmö is no party to either.
    const asMalmo = await network.query<{ assignments: { edges: { node: { id: string } }[] } }>('1280', LIST);
    const malmoSees = asMalmo.data!.assignments.edges.map((e) => e.node.id);
    expect(malmoSees).not.toContain(proposed.id);
    expect(malmoSees).not.toContain('asg:0380:0180:00000000-0000-4000-8000-000000000901');

    const offer = await network.query(
      '1280',
      /* GraphQL */ `
        {
          interventionOffer(municipality: "0380") {
            category
            unitPrice {
              amount
              currency
            }
          }
        }
      `,
    );
    expect(offer.data).toEqual({
      interventionOffer: [
        { category: 'MOTIVATIONAL_TALKS', unitPrice: { amount: '950.00', currency: 'SEK' } },
        { category: 'CONTACT_PERSON', unitPrice: { amount: '2000.00', currency: 'SEK' } },
      ],
    });
  });
});
