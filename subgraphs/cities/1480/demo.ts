// Fictional demo data: no person here resembles a real one.
import { defineDemo } from '../../city';
import { demoId } from '../demo-ids';

export default defineDemo({
  cases: [
    {
      id: 'case-1480-1',
      personName: 'Demo Echo Testsson',
      personalIdentityNumber: '19000105-0046',
      unitId: 'gbg-nordost',
      openedAt: '2023-01-23T08:00:00.000Z',
    },
    {
      id: 'case-1480-2',
      personName: 'Demo Foxtrot Exempelsson',
      personalIdentityNumber: '19000106-0052',
      unitId: 'gbg-hisingen',
      openedAt: '2023-02-27T08:00:00.000Z',
    },
    {
      id: 'case-1480-3',
      personName: 'Demo Golf Provsson',
      personalIdentityNumber: '19000107-0069',
      unitId: 'gbg-sydvast',
      openedAt: '2023-04-17T08:00:00.000Z',
    },
    {
      id: 'case-1480-4',
      personName: 'Demo Hotel Fiktivsson',
      personalIdentityNumber: '19000108-0076',
      unitId: 'gbg-centrum',
      openedAt: '2023-06-05T08:00:00.000Z',
    },
  ],
  outgoing: [
    {
      id: demoId('asg', '1480', '0180', 2),
      caseId: 'case-1480-1',
      status: 'ACTIVE',
      proposedAt: '2023-02-20T10:00:00.000Z',
      updatedAt: '2023-10-02T09:00:00.000Z',
      plans: [
        {
          version: 1,
          status: 'SUPERSEDED',
          proposedAt: '2023-03-01T09:00:00.000Z',
          decidedAt: '2023-03-03T09:00:00.000Z',
          items: [
            {
              id: demoId('item', '1480', '0180', 201),
              category: 'CONTACT_PERSON',
              plannedFrom: '2023-03-06',
              plannedTo: '2023-06-30',
              extent: { quantity: 8, unit: 'DAYS_IN_TOTAL' },
              estimatedCost: '19200.00',
            },
          ],
        },
        {
          version: 2,
          status: 'DECIDED',
          proposedAt: '2023-04-03T09:00:00.000Z',
          decidedAt: '2023-04-05T09:00:00.000Z',
          items: [
            {
              id: demoId('item', '1480', '0180', 202),
              category: 'CONTACT_PERSON',
              plannedFrom: '2023-04-10',
              plannedTo: '2023-12-31',
              extent: { quantity: 20, unit: 'DAYS_IN_TOTAL' },
              estimatedCost: '48000.00',
            },
            {
              id: demoId('item', '1480', '0180', 203),
              category: 'SUBSTANCE_ABUSE_TREATMENT',
              plannedFrom: '2023-04-10',
              plannedTo: '2023-09-30',
              extent: { quantity: 1, unit: 'SESSIONS_PER_WEEK' },
              estimatedCost: '37700.00',
            },
          ],
        },
      ],
    },
    {
      id: demoId('asg', '1480', '1280', 5),
      caseId: 'case-1480-2',
      status: 'COMPLETED',
      proposedAt: '2023-03-13T10:00:00.000Z',
      updatedAt: '2023-12-18T12:00:00.000Z',
      plans: [
        {
          version: 1,
          status: 'DECIDED',
          proposedAt: '2023-03-20T09:00:00.000Z',
          decidedAt: '2023-03-22T09:00:00.000Z',
          items: [
            {
              id: demoId('item', '1480', '1280', 501),
              category: 'BUDGET_AND_DEBT_COUNSELLING',
              plannedFrom: '2023-03-27',
              plannedTo: '2023-06-30',
              extent: { quantity: 2, unit: 'SESSIONS_PER_MONTH' },
              estimatedCost: '5600.00',
            },
            {
              id: demoId('item', '1480', '1280', 502),
              category: 'CRIMINALITY_AS_LIFESTYLE',
              plannedFrom: '2023-04-03',
              plannedTo: '2023-11-30',
              extent: { quantity: 1, unit: 'SESSIONS_PER_WEEK' },
              estimatedCost: '17000.00',
            },
          ],
        },
      ],
    },
    {
      id: demoId('asg', '1480', '0180', 8),
      caseId: 'case-1480-3',
      status: 'TERMINATED',
      proposedAt: '2023-05-08T10:00:00.000Z',
      updatedAt: '2023-11-15T15:45:00.000Z',
      plans: [
        {
          version: 1,
          status: 'DECIDED',
          proposedAt: '2023-05-15T09:00:00.000Z',
          decidedAt: '2023-05-17T09:00:00.000Z',
          items: [
            {
              id: demoId('item', '1480', '0180', 801),
              category: 'HOUSING_SUPPORT',
              plannedFrom: '2023-05-22',
              plannedTo: '2023-12-31',
              extent: { quantity: 3, unit: 'HOURS_PER_WEEK' },
              estimatedCost: '70200.00',
            },
          ],
        },
      ],
    },
  ],
  incoming: [
    {
      id: demoId('asg', '1280', '1480', 3),
      status: 'ACCEPTED',
      receivedAt: '2023-06-12T10:00:00.000Z',
      updatedAt: '2023-06-26T10:00:00.000Z',
      costs: [],
    },
    {
      id: demoId('asg', '0180', '1480', 4),
      status: 'PROPOSED',
      receivedAt: '2023-09-04T09:00:00.000Z',
      updatedAt: '2023-09-04T09:00:00.000Z',
      costs: [],
    },
  ],
});
