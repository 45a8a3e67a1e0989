import { defineCity } from '../../city';
import demo from './demo';

export default defineCity({
  code: '1280',
  name: 'Malmö',
  port: 4103,
  units: [{ id: 'mmo-ass', name: 'Arbetsmarknads- och socialnämnden', kind: 'SOCIAL_BOARD' }],
  offers: [
    { category: 'CRISIS_SUPPORT', name: 'Krisstöd', unitPrice: '1150.00', priceUnit: 'PER_HOUR' },
    {
      category: 'MOTIVATIONAL_TALKS',
      name: 'Motivationssamtal',
      unitPrice: '1000.00',
      priceUnit: 'PER_SESSION',
    },
    { category: 'SIG_GUIDE_SUPPORT', name: 'SIG-lots', unitPrice: '800.00', priceUnit: 'PER_HOUR' },
    { category: 'CONTACT_PERSON', name: 'Kontaktperson', unitPrice: '2100.00', priceUnit: 'PER_DAY' },
    { category: 'HOUSING_SUPPORT', name: 'Boendestöd', unitPrice: '720.00', priceUnit: 'PER_HOUR' },
    {
      category: 'SUBSTANCE_ABUSE_TREATMENT',
      name: 'Missbruksbehandling',
      unitPrice: '1300.00',
      priceUnit: 'PER_SESSION',
    },
    {
      category: 'BUDGET_AND_DEBT_COUNSELLING',
      name: 'Budget- och skuldrådgivning',
      unitPrice: '700.00',
      priceUnit: 'PER_SESSION',
    },
    {
      category: 'OUTPATIENT_TREATMENT',
      name: 'Öppenvårdsbehandling',
      unitPrice: '1200.00',
      priceUnit: 'PER_SESSION',
    },
    {
      category: 'CRIMINALITY_AS_LIFESTYLE',
      name: 'Kriminalitet som livsstil',
      unitPrice: '17000.00',
      priceUnit: 'PER_PROGRAMME',
    },
    {
      category: 'PSYCHIATRY_CONTACT',
      name: 'Kontakt med psykiatrin',
      unitPrice: '550.00',
      priceUnit: 'PER_SESSION',
    },
    {
      category: 'WORK_ORIENTED',
      name: 'Arbetsinriktade insatser',
      unitPrice: '1000.00',
      priceUnit: 'PER_DAY',
    },
  ],
  demo,
});
