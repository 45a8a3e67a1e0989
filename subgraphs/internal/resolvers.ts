// The city's own API over its full records. Never federated.
// Every mutation checks its input, then loads and writes in one transaction:
// a refused request leaves nothing behind.
import { randomUUID } from 'node:crypto';
import { badUserInput, conflict, notFound } from '../../schema/contract/errors';
import type { Resolvers } from '../../schema/generated/internal';
import { verifyDisclosureLog } from '../audit/disclosureLog';
import { dateColumn, stockholmDay } from '../clock';
import { DateScalar, DateTimeScalar } from '../scalars';
import { changeOpenCase, inForce, motivationOf, requireOpenCase, threatOf } from './cases';
import { DISCLOSURE_BASIS_ALREADY_WITHDRAWN } from './ruleCodes';
import { mergeUnits, usableUnit } from './units';
import {
  calendarDate,
  MAX_NAME_LENGTH,
  MAX_SHORT_TEXT_LENGTH,
  MAX_TEXT_LENGTH,
  municipalityCode,
  optionalText,
  personalIdentityNumber,
  requiredText,
  unitId,
  unitIds,
} from './validate';

const newId = (prefix: string) => `${prefix}-${randomUUID()}`;

export const internalResolvers: Resolvers = {
  Date: DateScalar,
  DateTime: DateTimeScalar,
  Query: {
    disclosureLog: (_, { after, first }, ctx) => {
      if (first < 1 || first > 1000)
        throw badUserInput('first must be between 1 and 1000', { argument: 'first' });
      return ctx.db.prisma.disclosureLogEntry.findMany({
        where: { sequence: { gt: after } },
        orderBy: { sequence: 'asc' },
        take: first,
      });
    },
    disclosureLogVerification: (_, __, ctx) => verifyDisclosureLog(ctx.db.prisma),
    cases: (_, __, ctx) => ctx.db.prisma.case.findMany({ orderBy: [{ openedAt: 'desc' }, { id: 'asc' }] }),
    case: (_, { id }, ctx) => ctx.db.prisma.case.findUnique({ where: { id } }),
    units: (_, __, ctx) => ctx.db.prisma.unit.findMany({ orderBy: { id: 'asc' } }),
  },
  Mutation: {
    openCase: (_, { input }, ctx) => {
      const personName = requiredText('personName', input.personName, MAX_NAME_LENGTH);
      const number = personalIdentityNumber(input.personalIdentityNumber, stockholmDay());
      return ctx.db.prisma.$transaction(async (tx) => {
        const unit = await usableUnit(tx, input.unitId);
        const now = new Date();
        return tx.case.create({
          data: {
            id: newId('case'),
            personName,
            personalIdentityNumber: number.normalized,
            coordinationNumber: number.coordinationNumber,
            unitId: unit.id,
            openedAt: now,
            updatedAt: now,
          },
        });
      });
    },
    updatePerson: (_, args, ctx) => {
      if (args.personName == null && args.personalIdentityNumber == null)
        throw badUserInput('Give personName, personalIdentityNumber or both', {
          field: 'personName',
          fields: ['personName', 'personalIdentityNumber'],
        });
      const personName =
        args.personName == null ? undefined : requiredText('personName', args.personName, MAX_NAME_LENGTH);
      const number =
        args.personalIdentityNumber == null
          ? undefined
          : personalIdentityNumber(args.personalIdentityNumber, stockholmDay());
      return ctx.db.prisma.$transaction((tx) =>
        changeOpenCase(tx, args.caseId, {
          personName,
          personalIdentityNumber: number?.normalized,
          coordinationNumber: number?.coordinationNumber,
        }),
      );
    },
    assessTargetGroup: (_, { caseId, targetGroup }, ctx) =>
      ctx.db.prisma.$transaction((tx) => {
        const now = new Date();
        return changeOpenCase(tx, caseId, { targetGroup, targetGroupAssessedAt: now }, now);
      }),
    assessThreat: (_, { caseId, level, source }, ctx) => {
      const threatSource = requiredText('source', source, MAX_SHORT_TEXT_LENGTH);
      return ctx.db.prisma.$transaction((tx) => {
        const now = new Date();
        return changeOpenCase(tx, caseId, { threatLevel: level, threatSource, threatAssessedAt: now }, now);
      });
    },
    assessMotivation: (_, { caseId, motivated, assessment }, ctx) => {
      const motivationAssessment = requiredText('assessment', assessment, MAX_TEXT_LENGTH);
      return ctx.db.prisma.$transaction((tx) => {
        const now = new Date();
        return changeOpenCase(
          tx,
          caseId,
          { motivated, motivationAssessment, motivationAssessedAt: now },
          now,
        );
      });
    },
    recordChildResponsibility: (_, { caseId, hasChildResponsibility }, ctx) =>
      ctx.db.prisma.$transaction((tx) => {
        const now = new Date();
        return changeOpenCase(
          tx,
          caseId,
          { hasChildResponsibility, childResponsibilityAssessedAt: now },
          now,
        );
      }),
    recordTemporaryHousing: (_, { caseId, description }, ctx) => {
      const temporaryHousing = requiredText('description', description, MAX_TEXT_LENGTH);
      return ctx.db.prisma.$transaction((tx) => {
        const now = new Date();
        return changeOpenCase(tx, caseId, { temporaryHousing, temporaryHousingArrangedAt: now }, now);
      });
    },
    recordDisclosureBasis: (_, { input }, ctx) => {
      const recipientMunicipality = municipalityCode('recipientMunicipality', input.recipientMunicipality);
      if (recipientMunicipality === ctx.city.code)
        throw badUserInput(
          `recipientMunicipality is this municipality (${ctx.city.code}); a basis is for disclosure to another one`,
          { field: 'recipientMunicipality' },
        );
      const legalReference = optionalText('legalReference', input.legalReference, MAX_SHORT_TEXT_LENGTH);
      if (input.kind === 'LEGAL_BASIS' && !legalReference)
        throw badUserInput('legalReference must name the statute for a LEGAL_BASIS', {
          field: 'legalReference',
        });
      const scope = requiredText('scope', input.scope, MAX_SHORT_TEXT_LENGTH);
      const validFrom = calendarDate('validFrom', input.validFrom);
      const validTo = input.validTo == null ? null : calendarDate('validTo', input.validTo);
      if (validTo !== null && validTo < validFrom)
        throw badUserInput(`validTo (${validTo}) is before validFrom (${validFrom})`, { field: 'validTo' });
      return ctx.db.prisma.$transaction(async (tx) => {
        const now = new Date();
        await changeOpenCase(tx, input.caseId, {}, now);
        return tx.disclosureBasis.create({
          data: {
            id: newId('basis'),
            caseId: input.caseId,
            recipientMunicipality,
            kind: input.kind,
            legalReference,
            scope,
            validFrom: dateColumn(validFrom),
            validTo: validTo === null ? null : dateColumn(validTo),
            recordedAt: now,
          },
        });
      });
    },
    // Withdrawal is always possible, also on a closed case: it only ever stops disclosure.
    withdrawDisclosureBasis: (_, { id }, ctx) =>
      ctx.db.prisma.$transaction(async (tx) => {
        const now = new Date();
        const { count } = await tx.disclosureBasis.updateMany({
          where: { id, withdrawnAt: null },
          data: { withdrawnAt: now },
        });
        const basis = await tx.disclosureBasis.findUnique({ where: { id } });
        if (!basis) throw notFound(`No disclosure basis with id ${id}`, { id });
        if (count === 0)
          throw conflict(
            `Disclosure basis ${id} was already withdrawn at ${basis.withdrawnAt?.toISOString()}`,
            [DISCLOSURE_BASIS_ALREADY_WITHDRAWN],
            { id },
          );
        await tx.case.update({ where: { id: basis.caseId }, data: { updatedAt: now } });
        return basis;
      }),
    recordPoliceConsultation: (_, { input }, ctx) => {
      const municipality = municipalityCode('municipality', input.municipality);
      const date = calendarDate('date', input.date);
      const today = stockholmDay();
      if (date > today)
        throw badUserInput(`date (${date}) is in the future; record a consultation once it has taken place`, {
          field: 'date',
        });
      const policeUnit = requiredText('policeUnit', input.policeUnit, MAX_SHORT_TEXT_LENGTH);
      return ctx.db.prisma.$transaction(async (tx) => {
        const now = new Date();
        await changeOpenCase(tx, input.caseId, {}, now);
        return tx.policeConsultation.create({
          data: {
            id: newId('police'),
            caseId: input.caseId,
            municipality,
            date: dateColumn(date),
            policeUnit,
            recordedAt: now,
          },
        });
      });
    },
    assignHandlingUnit: (_, { caseId, unitId: id }, ctx) =>
      ctx.db.prisma.$transaction(async (tx) => {
        const found = await requireOpenCase(tx, caseId);
        const unit = await usableUnit(tx, id);
        if (found.unitId === unit.id) return found;
        return changeOpenCase(tx, caseId, { unitId: unit.id });
      }),
    addJournalNote: (_, { caseId, text }, ctx) => {
      const note = requiredText('text', text, MAX_TEXT_LENGTH);
      return ctx.db.prisma.$transaction(async (tx) => {
        const now = new Date();
        await changeOpenCase(tx, caseId, {}, now);
        return tx.journalNote.create({
          data: { id: newId('note'), caseId, author: ctx.principal.subject, text: note, writtenAt: now },
        });
      });
    },
    mergeUnits: (_, args, ctx) => {
      const ids = unitIds('unitIds', args.unitIds);
      const successor = {
        id: unitId('successor.id', args.successor.id),
        name: requiredText('successor.name', args.successor.name, MAX_NAME_LENGTH),
        kind: args.successor.kind,
      };
      return ctx.db.prisma.$transaction((tx) => mergeUnits(tx, ids, successor));
    },
    closeCase: (_, { caseId }, ctx) =>
      ctx.db.prisma.$transaction((tx) => {
        const now = new Date();
        return changeOpenCase(tx, caseId, { closedAt: now }, now);
      }),
  },
  Case: {
    unit: async (c, _, ctx) => (await ctx.loaders.unit.load(c.unitId))!,
    threat: (c) => threatOf(c),
    motivation: (c) => motivationOf(c),
    disclosureBases: (c, _, ctx) => ctx.loaders.disclosureBases.load(c.id),
    policeConsultations: (c, _, ctx) => ctx.loaders.policeConsultations.load(c.id),
    notes: (c, _, ctx) => ctx.loaders.notes.load(c.id),
    assignments: (c, _, ctx) => ctx.loaders.caseAssignments.load(c.id),
  },
  DisclosureBasis: {
    inForce: (basis) => inForce(basis, stockholmDay()),
  },
  Unit: {
    successor: (u, _, ctx) => (u.successorId ? ctx.loaders.unit.load(u.successorId) : null),
    current: async (u, _, ctx) => {
      // Follow the merge chain through the loader: one statement per step for all units at once.
      let current = u;
      const seen = new Set([u.id]);
      while (current.successorId && !seen.has(current.successorId)) {
        seen.add(current.successorId);
        const next = await ctx.loaders.unit.load(current.successorId);
        if (!next) break;
        current = next;
      }
      return current;
    },
  },
};
