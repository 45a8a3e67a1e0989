// A city's configuration: everything that differs between cities. The code
// is the same for every city; a new municipality is a new configuration.
import { z } from 'zod';
import { ASSIGNMENT_STATUSES } from './agreement/rules/transitions';

const code = z.string().regex(/^\d{4}$/, 'a four-digit municipality code');
const amount = z.string().regex(/^\d+(\.\d{1,2})?$/, 'a decimal amount such as "950.00"');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'an ISO date such as 2023-03-01');
const isoInstant = z.string().datetime({ offset: false });

export const INTERVENTION_CATEGORIES = [
  'CRISIS_SUPPORT',
  'MOTIVATIONAL_TALKS',
  'SIG_GUIDE_SUPPORT',
  'CONTACT_PERSON',
  'HOUSING_SUPPORT',
  'SUBSTANCE_ABUSE_TREATMENT',
  'BUDGET_AND_DEBT_COUNSELLING',
  'OUTPATIENT_TREATMENT',
  'CRIMINALITY_AS_LIFESTYLE',
  'PSYCHIATRY_CONTACT',
  'WORK_ORIENTED',
] as const;
const category = z.enum(INTERVENTION_CATEGORIES);

const unit = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  kind: z.enum(['CENTRAL_DEFECTOR_UNIT', 'DISTRICT_BOARD', 'SOCIAL_BOARD']),
  /** Set when the unit has merged into another (e.g. Spånga-Tensta + Rinkeby-Kista). */
  mergedInto: z.string().optional(),
  mergedAt: isoInstant.optional(),
});

const offer = z.object({
  category,
  /** The city's own name for the intervention (e.g. KRAMI). */
  name: z.string().min(1),
  unitPrice: amount,
  priceUnit: z.enum(['PER_HOUR', 'PER_SESSION', 'PER_DAY', 'PER_PROGRAMME']),
});

const planItem = z.object({
  id: z.string(),
  category,
  plannedFrom: isoDate,
  plannedTo: isoDate,
  extent: z.object({
    quantity: z.number().int().positive(),
    unit: z.enum(['HOURS_PER_WEEK', 'SESSIONS_PER_WEEK', 'SESSIONS_PER_MONTH', 'DAYS_IN_TOTAL']),
  }),
  estimatedCost: amount,
  responsibleUnit: z.string(),
});

const assignmentStatus = z.enum(ASSIGNMENT_STATUSES);

const demo = z.object({
  /** Cases this city holds as home municipality; internal only. */
  cases: z.array(
    z.object({
      id: z.string(),
      personName: z.string(),
      personalIdentityNumber: z.string(),
      unitId: z.string(),
      openedAt: isoInstant,
    }),
  ),
  /** Assignments this city sent (it is home). */
  outgoing: z.array(
    z.object({
      id: z.string(),
      caseId: z.string(),
      status: assignmentStatus,
      proposedAt: isoInstant,
      updatedAt: isoInstant,
      plans: z.array(
        z.object({
          version: z.number().int().positive(),
          status: z.enum(['PROPOSED', 'CONFIRMED', 'SUPERSEDED']),
          proposedAt: isoInstant,
          confirmedAt: isoInstant.optional(),
          items: z.array(planItem),
        }),
      ),
    }),
  ),
  /** Assignments this city received (it is receiving), with the costs it bore. */
  incoming: z.array(
    z.object({
      id: z.string(),
      /** The home municipality's status, as this city knows it. */
      status: assignmentStatus,
      receivedAt: isoInstant,
      updatedAt: isoInstant,
      /** Items of the plan this city agreed (needed to record costs against them). */
      agreedItems: z
        .array(
          planItem.pick({
            id: true,
            category: true,
            plannedFrom: true,
            plannedTo: true,
            estimatedCost: true,
          }),
        )
        .default([]),
      costs: z.array(
        z.object({
          id: z.string(),
          planItemId: z.string(),
          category,
          date: isoDate,
          amount,
          description: z.string(),
        }),
      ),
    }),
  ),
});

export const cityConfigSchema = z.object({
  code,
  name: z.string().min(1),
  /** Default HTTP port; PORT overrides it. */
  port: z.number().int().min(0).max(65535),
  units: z.array(unit).min(1),
  offers: z.array(offer),
  demo: demo.optional(),
});

export type CityConfig = z.infer<typeof cityConfigSchema>;
export type DemoData = z.infer<typeof demo>;
export type UnitConfig = z.infer<typeof unit>;
export type OfferConfig = z.infer<typeof offer>;
export type InterventionCategory = (typeof INTERVENTION_CATEGORIES)[number];

/** Identity function that gives a city file editor help and type checks. */
export const defineCity = (config: z.input<typeof cityConfigSchema>) => config;
export const defineDemo = (data: z.input<typeof demo>): z.input<typeof demo> => data;
