// The city's own API over its full records. Never federated.
// Every mutation checks its input, then loads and writes in one transaction:
// a refused request leaves nothing behind.
import { randomUUID } from 'node:crypto';
import { badUserInput, conflict, forbidden, notFound } from '../../schema/contract/errors';
import type { Resolvers } from '../generated/internal';
import { verifyAccessLog } from '../audit/accessLog';
import { verifyDisclosureLog } from '../audit/disclosureLog';
import { compareWithHolders } from '../audit/verification';
import { dateColumn, stockholmDay } from '../clock';
import { DateScalar, DateTimeScalar } from '../../schema/contract/scalars';
import { adviseHandlingUnit, isOpen } from '../agreement/rules';
import { receivedNotes } from '../roles/execution/notes';
import { changeCaseRecord, casesInScope, inScope, scopeOf } from './caseAccess';
import { caseAccessLogWhere, disclosureLogWhere, logPage } from './logQueries';
import { changeOpenCase, inForce, motivationOf, requireOpenCase, threatOf, type Tx } from './cases';
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
    disclosureLog: (_, { after, first, ...filters }, ctx) => {
      const page = logPage({ after, first });
      return ctx.db.prisma.disclosureLogEntry.findMany({
        where: { ...page.where, ...disclosureLogWhere(filters) },
        orderBy: { sequence: 'asc' },
        take: page.take,
      });
    },
    disclosureLogVerification: (_, __, ctx) => verifyDisclosureLog(ctx.db.prisma),
    caseAccessLog: (_, { after, first, ...filters }, ctx) => {
      const page = logPage({ after, first });
      return ctx.db.prisma.caseAccessLogEntry.findMany({
        where: { ...page.where, ...caseAccessLogWhere(filters) },
        orderBy: { sequence: 'asc' },
        take: page.take,
      });
    },
    caseAccessLogVerification: (_, __, ctx) => verifyAccessLog(ctx.db.prisma),
    logCheckpoints: (_, __, ctx) =>
      compareWithHolders({
        city: ctx.city.code,
        db: ctx.db,
        holders: ctx.counterparties(),
        ask: (holder, message) => ctx.peers.ask(holder, message, ctx.principal, ctx.traceId),
        ownKeys: ctx.cityKeys?.(ctx.city.code) ?? null,
      }),
    consistency: (_, __, ctx) =>
      Promise.all(
        ctx.counterparties().map(async (counterparty) => {
          try {
            return { ...(await ctx.consistency.compare(counterparty)), error: null };
          } catch (error) {
            return {
              counterparty,
              agreeing: 0,
              catchingUp: 0,
              differences: [],
              error: error instanceof Error ? error.message : 'no answer',
            };
          }
        }),
      ),
    receivedAssignments: (_, __, ctx) => receivedNotes(ctx.db.prisma),
    // Reads of the full record: only the caller's scope, each case read noted for the access log.
    cases: async (_, __, ctx) => {
      const found = await ctx.db.prisma.case.findMany({
        where: casesInScope(await scopeOf(ctx)),
        orderBy: [{ openedAt: 'desc' }, { id: 'asc' }],
      });
      for (const c of found) ctx.caseReads?.add(c.id);
      return found;
    },
    case: async (_, { id }, ctx) => {
      const found = await ctx.db.prisma.case.findUnique({ where: { id } });
      if (!found || !inScope(await scopeOf(ctx), found.unitId)) return null;
      ctx.caseReads?.add(found.id);
      return found;
    },
    units: (_, __, ctx) => ctx.db.prisma.unit.findMany({ orderBy: { id: 'asc' } }),
  },
  Mutation: {
    openCase: async (_, args, ctx, info) => {
      const { input } = args;
      const personName = requiredText('personName', input.personName, MAX_NAME_LENGTH);
      const number = personalIdentityNumber(input.personalIdentityNumber, stockholmDay(ctx.now));
      const scope = await scopeOf(ctx);
      return changeCaseRecord(ctx, args, info, { caseOf: (c) => c.id }, async (tx) => {
        const unit = await usableUnit(tx, input.unitId);
        if (!inScope(scope, unit.id))
          throw forbidden(`You may open cases only in your own unit, not in ${unit.id}`, { field: 'unitId' });
        const { now } = ctx;
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
    updatePerson: (_, args, ctx, info) => {
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
          : personalIdentityNumber(args.personalIdentityNumber, stockholmDay(ctx.now));
      return changeCaseRecord(ctx, args, info, { caseId: args.caseId }, (tx) =>
        changeOpenCase(
          tx,
          args.caseId,
          {
            personName,
            personalIdentityNumber: number?.normalized,
            coordinationNumber: number?.coordinationNumber,
          },
          ctx.now,
        ),
      );
    },
    assessTargetGroup: (_, args, ctx, info) => {
      const { caseId, targetGroup } = args;
      return changeCaseRecord(ctx, args, info, { caseId: args.caseId }, (tx) => {
        const { now } = ctx;
        return changeOpenCase(tx, caseId, { targetGroup, targetGroupAssessedAt: now }, now);
      });
    },
    assessThreat: (_, args, ctx, info) => {
      const { caseId, level, assessedByPolice, assessedOn, source } = args;
      const threatSource = optionalText('source', source, MAX_SHORT_TEXT_LENGTH);
      const on = calendarDate('assessedOn', assessedOn);
      if (on > stockholmDay(ctx.now))
        throw badUserInput(`assessedOn (${on}) is in the future`, { field: 'assessedOn' });
      return changeCaseRecord(ctx, args, info, { caseId: args.caseId }, (tx) => {
        const { now } = ctx;
        return changeOpenCase(
          tx,
          caseId,
          {
            threatLevel: level,
            threatAssessedByPolice: assessedByPolice,
            threatAssessedOn: dateColumn(on),
            threatSource,
            threatAssessedAt: now,
          },
          now,
        );
      });
    },
    assessMotivation: (_, args, ctx, info) => {
      const { caseId, motivated, assessment } = args;
      const motivationAssessment = requiredText('assessment', assessment, MAX_TEXT_LENGTH);
      return changeCaseRecord(ctx, args, info, { caseId: args.caseId }, (tx) => {
        const { now } = ctx;
        return changeOpenCase(
          tx,
          caseId,
          { motivated, motivationAssessment, motivationAssessedAt: now },
          now,
        );
      });
    },
    recordChildResponsibility: (_, args, ctx, info) => {
      const { caseId, hasChildResponsibility } = args;
      return changeCaseRecord(ctx, args, info, { caseId: args.caseId }, (tx) => {
        const { now } = ctx;
        return changeOpenCase(
          tx,
          caseId,
          { hasChildResponsibility, childResponsibilityAssessedAt: now },
          now,
        );
      });
    },
    recordTemporaryHousing: (_, args, ctx, info) => {
      const { caseId, description } = args;
      const temporaryHousing = requiredText('description', description, MAX_TEXT_LENGTH);
      return changeCaseRecord(ctx, args, info, { caseId: args.caseId }, (tx) => {
        const { now } = ctx;
        return changeOpenCase(tx, caseId, { temporaryHousing, temporaryHousingArrangedAt: now }, now);
      });
    },
    recordDisclosureBasis: (_, args, ctx, info) => {
      const { input } = args;
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
      return changeCaseRecord(ctx, args, info, { caseId: input.caseId }, async (tx) => {
        const { now } = ctx;
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
    withdrawDisclosureBasis: (_, args, ctx, info) => {
      const { id } = args;
      const locate = async (tx: Tx) => {
        const basis = await tx.disclosureBasis.findUnique({ where: { id }, select: { caseId: true } });
        if (!basis) throw notFound(`No disclosure basis with id ${id}`, { id });
        return basis.caseId;
      };
      return changeCaseRecord(ctx, args, info, { locate }, async (tx) => {
        const { now } = ctx;
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
      });
    },
    recordPoliceConsultation: (_, args, ctx, info) => {
      const { input } = args;
      const municipality = municipalityCode('municipality', input.municipality);
      const date = calendarDate('date', input.date);
      const today = stockholmDay(ctx.now);
      if (date > today)
        throw badUserInput(`date (${date}) is in the future; record a consultation once it has taken place`, {
          field: 'date',
        });
      const policeUnit = requiredText('policeUnit', input.policeUnit, MAX_SHORT_TEXT_LENGTH);
      return changeCaseRecord(ctx, args, info, { caseId: input.caseId }, async (tx) => {
        const { now } = ctx;
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
    assignHandlingUnit: (_, args, ctx, info) => {
      const { caseId, unitId: id } = args;
      return changeCaseRecord(ctx, args, info, { caseId: args.caseId }, async (tx) => {
        const found = await requireOpenCase(tx, caseId);
        const unit = await usableUnit(tx, id);
        if (found.unitId === unit.id) return found;
        return changeOpenCase(tx, caseId, { unitId: unit.id }, ctx.now);
      });
    },
    addJournalNote: (_, args, ctx, info) => {
      const { caseId, text } = args;
      const note = requiredText('text', text, MAX_TEXT_LENGTH);
      return changeCaseRecord(ctx, args, info, { caseId: args.caseId }, async (tx) => {
        const { now } = ctx;
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
      return ctx.db.prisma.$transaction((tx) => mergeUnits(tx, ids, successor, ctx.now));
    },
    closeCase: (_, args, ctx, info) => {
      const { caseId } = args;
      return changeCaseRecord(ctx, args, info, { caseId: args.caseId }, (tx) => {
        const { now } = ctx;
        return changeOpenCase(tx, caseId, { closedAt: now }, now);
      });
    },
  },
  Case: {
    unit: async (c, _, ctx) => (await ctx.loaders.internal.unit.load(c.unitId))!,
    threat: (c) => threatOf(c),
    handlingUnitAdvice: async (c, _, ctx) => {
      const [unit, assignments, consultations] = await Promise.all([
        ctx.loaders.internal.unit.load(c.unitId),
        ctx.loaders.casework.ofCase.load(c.id),
        ctx.loaders.internal.policeConsultations.load(c.id),
      ]);
      const threat = threatOf(c);
      return adviseHandlingUnit({
        cityHasCentralUnit: ctx.city.units.some((u) => u.kind === 'CENTRAL_DEFECTOR_UNIT'),
        handlingUnitKind: unit!.kind,
        threat: threat && {
          level: threat.level,
          assessedByPolice: threat.assessedByPolice,
          assessedOn: threat.assessedOn,
        },
        // A relocation: an assignment to another city is open, or being prepared
        // (the police of another municipality were consulted, rule 3).
        relocation:
          assignments.some((a) => isOpen(a.status)) ||
          consultations.some((p) => p.municipality !== ctx.city.code),
      });
    },
    motivation: (c) => motivationOf(c),
    disclosureBases: (c, _, ctx) => ctx.loaders.internal.disclosureBases.load(c.id),
    policeConsultations: (c, _, ctx) => ctx.loaders.internal.policeConsultations.load(c.id),
    notes: (c, _, ctx) => ctx.loaders.internal.notes.load(c.id),
    assignments: (c, _, ctx) => ctx.loaders.casework.ofCase.load(c.id),
  },
  DisclosureBasis: {
    inForce: (basis, _, ctx) => inForce(basis, stockholmDay(ctx.now)),
  },
  Unit: {
    successor: (u, _, ctx) => (u.successorId ? ctx.loaders.internal.unit.load(u.successorId) : null),
    current: async (u, _, ctx) => {
      // Follow the merge chain through the loader: one statement per step for all units at once.
      let current = u;
      const seen = new Set([u.id]);
      while (current.successorId && !seen.has(current.successorId)) {
        seen.add(current.successorId);
        const next = await ctx.loaders.internal.unit.load(current.successorId);
        if (!next) break;
        current = next;
      }
      return current;
    },
  },
};
