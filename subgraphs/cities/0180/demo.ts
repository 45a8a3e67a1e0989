// Fictional demo data: no person here resembles a real one.
import { defineDemo } from '../../city';
import { demoId } from '../demo-ids';

export default defineDemo({
  cases: [
    {
      id: 'case-0180-1',
      personName: 'Demo Alfa Testsson',
      personalIdentityNumber: '19000101-0008',
      unitId: 'sto-central',
      openedAt: '2023-01-09T08:00:00.000Z',
    },
    {
      id: 'case-0180-2',
      personName: 'Demo Bravo Exempelsson',
      personalIdentityNumber: '19000102-0015',
      unitId: 'sto-spanga-tensta',
      openedAt: '2023-02-13T08:00:00.000Z',
    },
    {
      id: 'case-0180-3',
      personName: 'Demo Charlie Provsson',
      personalIdentityNumber: '19000103-0022',
      unitId: 'sto-rinkeby-kista',
      openedAt: '2023-03-20T08:00:00.000Z',
    },
    {
      id: 'case-0180-4',
      personName: 'Demo Delta Fiktivsson',
      personalIdentityNumber: '19000104-0039',
      unitId: 'sto-central',
      openedAt: '2023-04-03T08:00:00.000Z',
    },
  ],
  outgoing: [
    {
      id: demoId('asg', '0180', '1280', 1),
      caseId: 'case-0180-1',
      status: 'ACTIVE',
      proposedAt: '2023-01-16T09:00:00.000Z',
      updatedAt: '2023-08-21T10:15:00.000Z',
      plans: [
        {
          version: 1,
          status: 'DECIDED',
          proposedAt: '2023-01-30T09:00:00.000Z',
          decidedAt: '2023-02-02T13:00:00.000Z',
          items: [
            {
              id: demoId('item', '0180', '1280', 101),
              category: 'CRISIS_SUPPORT',
              plannedFrom: '2023-02-06',
              plannedTo: '2023-03-31',
              extent: { quantity: 2, unit: 'HOURS_PER_WEEK' },
              estimatedCost: '18400.00',
            },
            {
              id: demoId('item', '0180', '1280', 102),
              category: 'MOTIVATIONAL_TALKS',
              plannedFrom: '2023-02-06',
              plannedTo: '2023-12-31',
              extent: { quantity: 2, unit: 'SESSIONS_PER_MONTH' },
              estimatedCost: '24000.00',
            },
            {
              id: demoId('item', '0180', '1280', 103),
              category: 'WORK_ORIENTED',
              plannedFrom: '2023-05-01',
              plannedTo: '2023-12-31',
              extent: { quantity: 3, unit: 'SESSIONS_PER_WEEK' },
              estimatedCost: '96000.00',
            },
          ],
        },
      ],
    },
    {
      id: demoId('asg', '0180', '1480', 4),
      caseId: 'case-0180-2',
      status: 'PROPOSED',
      proposedAt: '2023-09-04T09:00:00.000Z',
      updatedAt: '2023-09-04T09:00:00.000Z',
      plans: [],
    },
    {
      id: demoId('asg', '0180', '1280', 7),
      caseId: 'case-0180-3',
      status: 'WITHDRAWN',
      proposedAt: '2023-04-11T09:00:00.000Z',
      updatedAt: '2023-04-18T14:30:00.000Z',
      plans: [],
    },
  ],
  incoming: [
    {
      id: demoId('asg', '1480', '0180', 2),
      status: 'ACTIVE',
      agreedItems: [
        {
          id: demoId('item', '1480', '0180', 202),
          planVersion: 2,
          category: 'CONTACT_PERSON',
          extent: { quantity: 20, unit: 'DAYS_IN_TOTAL' },
          plannedFrom: '2023-04-10',
          plannedTo: '2023-12-31',
          estimatedCost: '48000.00',
        },
        {
          id: demoId('item', '1480', '0180', 203),
          planVersion: 2,
          category: 'SUBSTANCE_ABUSE_TREATMENT',
          extent: { quantity: 1, unit: 'SESSIONS_PER_WEEK' },
          plannedFrom: '2023-04-10',
          plannedTo: '2023-09-30',
          estimatedCost: '37700.00',
        },
      ],
      receivedAt: '2023-02-20T10:00:00.000Z',
      updatedAt: '2023-10-02T09:00:00.000Z',
      costs: [
        {
          id: demoId('cost', '1480', '0180', 2001),
          planItemId: demoId('item', '1480', '0180', 202),
          category: 'CONTACT_PERSON',
          date: '2023-04-28',
          amount: '12000.00',
          description: 'Kontaktperson april',
        },
        {
          id: demoId('cost', '1480', '0180', 2002),
          planItemId: demoId('item', '1480', '0180', 203),
          category: 'SUBSTANCE_ABUSE_TREATMENT',
          date: '2023-05-31',
          amount: '8700.00',
          description: 'Behandlingssamtal maj',
        },
        {
          id: demoId('cost', '1480', '0180', 2003),
          planItemId: demoId('item', '1480', '0180', 202),
          category: 'CONTACT_PERSON',
          date: '2023-09-29',
          amount: '14400.50',
          description: 'Kontaktperson september',
        },
      ],
    },
    {
      id: demoId('asg', '1280', '0180', 6),
      status: 'DECLINED',
      receivedAt: '2023-03-06T10:00:00.000Z',
      updatedAt: '2023-03-10T11:00:00.000Z',
      costs: [],
    },
    {
      id: demoId('asg', '1480', '0180', 8),
      status: 'TERMINATED',
      agreedItems: [
        {
          id: demoId('item', '1480', '0180', 801),
          category: 'HOUSING_SUPPORT',
          extent: { quantity: 3, unit: 'HOURS_PER_WEEK' },
          plannedFrom: '2023-05-22',
          plannedTo: '2023-12-31',
          estimatedCost: '70200.00',
        },
      ],
      receivedAt: '2023-05-08T10:00:00.000Z',
      updatedAt: '2023-11-15T15:45:00.000Z',
      costs: [
        {
          id: demoId('cost', '1480', '0180', 8001),
          planItemId: demoId('item', '1480', '0180', 801),
          category: 'HOUSING_SUPPORT',
          date: '2023-07-31',
          amount: '9360.00',
          description: 'Boendestöd juli',
        },
      ],
    },
  ],
});
