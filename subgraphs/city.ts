// A city's configuration: everything that differs between cities. The code
// is the same for every city; a new municipality is a new configuration.
import { z } from 'zod';
import { CATALOGUE } from './agreement/rules/catalogue';
import { ASSIGNMENT_STATUSES } from './agreement/rules/transitions';
import { PERMISSIONS } from '../schema/contract/permissions';

const code = z.string().regex(/^\d{4}$/, 'a four-digit municipality code');
const amount = z.string().regex(/^\d+(\.\d{1,2})?$/, 'a decimal amount such as "950.00"');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'an ISO date such as 2023-03-01');
const isoInstant = z.string().datetime({ offset: false });

const category = z.enum(CATALOGUE);

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
          status: z.enum(['PROPOSED', 'DECIDED', 'SUPERSEDED']),
          proposedAt: isoInstant,
          /** When the home municipality decided it, after the receiving one's consultation answer. */
          decidedAt: isoInstant.optional(),
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
      /** Items of the plan the home city decided, which this city delivers (costs are recorded against them). */
      agreedItems: z
        .array(planItem.extend({ planVersion: z.number().int().positive().default(1) }))
        .default([]),
      costs: z.array(
        z.object({
          id: z.string(),
          planItemId: z.string(),
          category,
          date: isoDate,
          amount,
          /** Reimbursed from elsewhere (state funding through the police). */
          reimbursed: amount.optional(),
          description: z.string(),
        }),
      ),
    }),
  ),
});

/**
 * Who reads and changes the full case record of which unit. A person with one
 * of `everyUnit`'s permissions sees every unit's cases; anyone else only the
 * cases of their own unit (and of the units merged with it). Assumption, as
 * the agreement says nothing of it: coordinators and auditors see every unit.
 */
const caseAccess = z.object({
  everyUnit: z.array(z.enum(PERMISSIONS)).default(['coordinator', 'auditor']),
});

export const cityConfigSchema = z.object({
  code,
  name: z.string().min(1),
  /** Default HTTP port; PORT overrides it. */
  port: z.number().int().min(0).max(65535),
  units: z.array(unit).min(1),
  offers: z.array(offer),
  caseAccess: caseAccess.default({ everyUnit: ['coordinator', 'auditor'] }),
  demo: demo.optional(),
});

export type CityConfig = z.infer<typeof cityConfigSchema>;

/** Identity function that gives a city file editor help and type checks. */
export const defineCity = (config: z.input<typeof cityConfigSchema>) => config;
export const defineDemo = (data: z.input<typeof demo>): z.input<typeof demo> => data;
