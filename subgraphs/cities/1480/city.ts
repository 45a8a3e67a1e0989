import { defineCity } from '../../city';
import demo from './demo';

export default defineCity({
  code: '1480',
  name: 'Göteborg',
  port: 4102,
  units: [
    { id: 'gbg-nordost', name: 'Socialnämnden Nordost', kind: 'SOCIAL_BOARD' },
    { id: 'gbg-centrum', name: 'Socialnämnden Centrum', kind: 'SOCIAL_BOARD' },
    { id: 'gbg-sydvast', name: 'Socialnämnden Sydväst', kind: 'SOCIAL_BOARD' },
    { id: 'gbg-hisingen', name: 'Socialnämnden Hisingen', kind: 'SOCIAL_BOARD' },
  ],
  offers: [
    { category: 'CRISIS_SUPPORT', name: 'Krisstöd', unitPrice: '1050.00', priceUnit: 'PER_HOUR' },
    {
      category: 'MOTIVATIONAL_TALKS',
      name: 'Motivationssamtal',
      unitPrice: '1000.00',
      priceUnit: 'PER_SESSION',
    },
    { category: 'SIG_GUIDE_SUPPORT', name: 'SIG-lots', unitPrice: '820.00', priceUnit: 'PER_HOUR' },
    { category: 'CONTACT_PERSON', name: 'Kontaktperson', unitPrice: '2200.00', priceUnit: 'PER_DAY' },
    { category: 'HOUSING_SUPPORT', name: 'Boendestöd', unitPrice: '740.00', priceUnit: 'PER_HOUR' },
    {
      category: 'SUBSTANCE_ABUSE_TREATMENT',
      name: 'Missbruksbehandling',
      unitPrice: '1350.00',
      priceUnit: 'PER_SESSION',
    },
    {
      category: 'BUDGET_AND_DEBT_COUNSELLING',
      name: 'Budget- och skuldrådgivning',
      unitPrice: '850.00',
      priceUnit: 'PER_SESSION',
    },
    { category: 'OUTPATIENT_TREATMENT', name: 'Öppenvård', unitPrice: '1250.00', priceUnit: 'PER_SESSION' },
    {
      category: 'CRIMINALITY_AS_LIFESTYLE',
      name: 'Kriminalitet som livsstil',
      unitPrice: '17500.00',
      priceUnit: 'PER_PROGRAMME',
    },
    {
      category: 'PSYCHIATRY_CONTACT',
      name: 'Kontakt med psykiatrin',
      unitPrice: '580.00',
      priceUnit: 'PER_SESSION',
    },
    { category: 'WORK_ORIENTED', name: 'KRAMI', unitPrice: '900.00', priceUnit: 'PER_DAY' },
  ],
  demo,
});
