// Fictional demo data: no person here resembles a real one.
import { defineDemo } from '../../city';
import { demoId } from '../demo-ids';

export default defineDemo({
  cases: [
    {
      id: 'case-1280-1',
      personName: 'Demo India Testsson',
      personalIdentityNumber: '19000109-0083',
      unitId: 'mmo-ass',
      openedAt: '2023-02-06T08:00:00.000Z',
    },
    {
      id: 'case-1280-2',
      personName: 'Demo Juliett Exempelsson',
      personalIdentityNumber: '19000110-0098',
      unitId: 'mmo-ass',
      openedAt: '2023-05-29T08:00:00.000Z',
    },
    {
      id: 'case-1280-3',
      personName: 'Demo Kilo Provsson',
      personalIdentityNumber: '19000111-0014',
      unitId: 'mmo-ass',
      openedAt: '2023-07-10T08:00:00.000Z',
    },
  ],
  outgoing: [
    {
      id: demoId('asg', '1280', '1480', 3),
      caseId: 'case-1280-2',
      status: 'ACCEPTED',
      proposedAt: '2023-06-12T10:00:00.000Z',
      updatedAt: '2023-06-26T10:00:00.000Z',
      plans: [
        {
          version: 1,
          status: 'PROPOSED',
          proposedAt: '2023-06-26T10:00:00.000Z',
          items: [
            {
              id: demoId('item', '1280', '1480', 301),
              category: 'OUTPATIENT_TREATMENT',
              plannedFrom: '2023-07-03',
              plannedTo: '2023-12-22',
              extent: { quantity: 1, unit: 'SESSIONS_PER_WEEK' },
              estimatedCost: '31250.00',
            },
          ],
        },
      ],
    },
    {
      id: demoId('asg', '1280', '0180', 6),
      caseId: 'case-1280-1',
      status: 'DECLINED',
      proposedAt: '2023-03-06T10:00:00.000Z',
      updatedAt: '2023-03-10T11:00:00.000Z',
      plans: [],
    },
  ],
  incoming: [
    {
      id: demoId('asg', '0180', '1280', 1),
      status: 'ACTIVE',
      agreedItems: [
        {
          id: demoId('item', '0180', '1280', 101),
          category: 'CRISIS_SUPPORT',
          extent: { quantity: 2, unit: 'HOURS_PER_WEEK' },
          plannedFrom: '2023-02-06',
          plannedTo: '2023-03-31',
          estimatedCost: '18400.00',
        },
        {
          id: demoId('item', '0180', '1280', 102),
          category: 'MOTIVATIONAL_TALKS',
          extent: { quantity: 2, unit: 'SESSIONS_PER_MONTH' },
          plannedFrom: '2023-02-06',
          plannedTo: '2023-12-31',
          estimatedCost: '24000.00',
        },
        {
          id: demoId('item', '0180', '1280', 103),
          category: 'WORK_ORIENTED',
          extent: { quantity: 3, unit: 'SESSIONS_PER_WEEK' },
          plannedFrom: '2023-05-01',
          plannedTo: '2023-12-31',
          estimatedCost: '96000.00',
        },
      ],
      receivedAt: '2023-01-16T09:00:00.000Z',
      updatedAt: '2023-08-21T10:15:00.000Z',
      costs: [
        {
          id: demoId('cost', '0180', '1280', 1001),
          planItemId: demoId('item', '0180', '1280', 101),
          category: 'CRISIS_SUPPORT',
          date: '2023-02-28',
          amount: '9200.00',
          description: 'Krisstöd februari',
        },
        {
          id: demoId('cost', '0180', '1280', 1002),
          planItemId: demoId('item', '0180', '1280', 102),
          category: 'MOTIVATIONAL_TALKS',
          date: '2023-03-31',
          amount: '2000.00',
          description: 'Motivationssamtal mars',
        },
        {
          id: demoId('cost', '0180', '1280', 1003),
          planItemId: demoId('item', '0180', '1280', 103),
          category: 'WORK_ORIENTED',
          date: '2023-06-30',
          amount: '12500.00',
          description: 'Arbetsinriktad insats juni',
        },
        {
          id: demoId('cost', '0180', '1280', 1004),
          planItemId: demoId('item', '0180', '1280', 103),
          category: 'WORK_ORIENTED',
          date: '2023-08-31',
          amount: '13000.50',
          description: 'Arbetsinriktad insats augusti',
        },
      ],
    },
    {
      id: demoId('asg', '1480', '1280', 5),
      status: 'COMPLETED',
      agreedItems: [
        {
          id: demoId('item', '1480', '1280', 501),
          category: 'BUDGET_AND_DEBT_COUNSELLING',
          extent: { quantity: 2, unit: 'SESSIONS_PER_MONTH' },
          plannedFrom: '2023-03-27',
          plannedTo: '2023-06-30',
          estimatedCost: '5600.00',
        },
        {
          id: demoId('item', '1480', '1280', 502),
          category: 'CRIMINALITY_AS_LIFESTYLE',
          extent: { quantity: 1, unit: 'SESSIONS_PER_WEEK' },
          plannedFrom: '2023-04-03',
          plannedTo: '2023-11-30',
          estimatedCost: '17000.00',
        },
      ],
      receivedAt: '2023-03-13T10:00:00.000Z',
      updatedAt: '2023-12-18T12:00:00.000Z',
      costs: [
        {
          id: demoId('cost', '1480', '1280', 5001),
          planItemId: demoId('item', '1480', '1280', 501),
          category: 'BUDGET_AND_DEBT_COUNSELLING',
          date: '2023-05-31',
          amount: '2800.00',
          description: 'Budgetrådgivning april-maj',
        },
        {
          id: demoId('cost', '1480', '1280', 5002),
          planItemId: demoId('item', '1480', '1280', 502),
          category: 'CRIMINALITY_AS_LIFESTYLE',
          date: '2023-11-30',
          amount: '17000.00',
          description: 'Kriminalitet som livsstil, hela programmet',
        },
      ],
    },
    {
      id: demoId('asg', '0180', '1280', 7),
      status: 'WITHDRAWN',
      receivedAt: '2023-04-11T09:00:00.000Z',
      updatedAt: '2023-04-18T14:30:00.000Z',
      costs: [],
    },
  ],
});
