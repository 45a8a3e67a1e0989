import { defineCity } from '../../city';
import demo from './demo';

export default defineCity({
  code: '0180',
  name: 'Stockholm',
  port: 4101,
  units: [
    {
      id: 'sto-central',
      name: 'Socialnämnden, Enheten för hemlösa (central avhopparverksamhet)',
      kind: 'CENTRAL_DEFECTOR_UNIT',
    },
    {
      id: 'sto-spanga-tensta',
      name: 'Spånga-Tensta stadsdelsnämnd',
      kind: 'DISTRICT_BOARD',
      mergedInto: 'sto-nordvast',
      mergedAt: '2023-05-01T00:00:00.000Z',
    },
    {
      id: 'sto-rinkeby-kista',
      name: 'Rinkeby-Kista stadsdelsnämnd',
      kind: 'DISTRICT_BOARD',
      mergedInto: 'sto-nordvast',
      mergedAt: '2023-05-01T00:00:00.000Z',
    },
    {
      id: 'sto-nordvast',
      name: 'Stadsdelsnämnden Rinkeby-Kista och Spånga-Tensta',
      kind: 'DISTRICT_BOARD',
    },
  ],
  offers: [
    { category: 'CRISIS_SUPPORT', name: 'Krisstöd', unitPrice: '1150.00', priceUnit: 'PER_HOUR' },
    {
      category: 'MOTIVATIONAL_TALKS',
      name: 'Motivationssamtal',
      unitPrice: '1100.00',
      priceUnit: 'PER_SESSION',
    },
    {
      category: 'SIG_GUIDE_SUPPORT',
      name: 'Praktiskt stöd från SIG-lots',
      unitPrice: '850.00',
      priceUnit: 'PER_HOUR',
    },
    { category: 'CONTACT_PERSON', name: 'Kontaktperson', unitPrice: '2400.00', priceUnit: 'PER_DAY' },
    { category: 'HOUSING_SUPPORT', name: 'Boendestöd', unitPrice: '780.00', priceUnit: 'PER_HOUR' },
    {
      category: 'SUBSTANCE_ABUSE_TREATMENT',
      name: 'Missbruksbehandling',
      unitPrice: '1450.00',
      priceUnit: 'PER_SESSION',
    },
    {
      category: 'BUDGET_AND_DEBT_COUNSELLING',
      name: 'Budget- och skuldrådgivning',
      unitPrice: '900.00',
      priceUnit: 'PER_SESSION',
    },
    {
      category: 'OUTPATIENT_TREATMENT',
      name: 'Öppenvårdsbehandling',
      unitPrice: '1300.00',
      priceUnit: 'PER_SESSION',
    },
    {
      category: 'CRIMINALITY_AS_LIFESTYLE',
      name: 'Kriminalitet som livsstil',
      unitPrice: '18500.00',
      priceUnit: 'PER_PROGRAMME',
    },
    {
      category: 'PSYCHIATRY_CONTACT',
      name: 'Kontakt med psykiatrin',
      unitPrice: '600.00',
      priceUnit: 'PER_SESSION',
    },
    {
      category: 'WORK_ORIENTED',
      name: 'Arbetsinriktade insatser',
      unitPrice: '950.00',
      priceUnit: 'PER_DAY',
    },
  ],
  demo,
});
