// The receiving city's own notes on the assignments it received: its answer's
// note and what each cost was for. They never cross city lines; the city's
// own people read them through its internal API.
import type { PrismaClient } from '../../db/generated/client';

export async function receivedNotes(prisma: PrismaClient) {
  const rows = await prisma.incomingAssignment.findMany({
    orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }],
    include: {
      costs: {
        orderBy: [{ date: 'asc' }, { id: 'asc' }],
        select: { id: true, date: true, description: true },
      },
    },
  });
  return rows.map((row) => ({
    id: row.id,
    homeMunicipality: row.homeMunicipality,
    status: row.status,
    responseNote: row.responseNote,
    costNotes: row.costs.map((c) => ({ costId: c.id, date: c.date, description: c.description })),
  }));
}
