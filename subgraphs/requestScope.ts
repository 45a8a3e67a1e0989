// What one request of a city endpoint shares: its instant ("today" for every
// rule, in Europe/Stockholm) and its batched loaders, one set per role, made
// when a resolver of that role first asks.
import { caseworkLoaders, type CaseworkLoaders } from './roles/casework/loaders';
import { executionLoaders, type ExecutionLoaders } from './roles/execution/loaders';
import { internalLoaders, type InternalLoaders } from './internal/loaders';
import type { PrismaClient } from './db/generated/client';
import { pendingLoader } from './peer/pending';

export interface RequestLoaders {
  readonly casework: CaseworkLoaders;
  readonly execution: ExecutionLoaders;
  readonly internal: InternalLoaders;
  /** Changes not yet acknowledged by the other party's city, per assignment. */
  readonly pending: ReturnType<typeof pendingLoader>;
}

export function requestLoaders(prisma: PrismaClient, now: Date): RequestLoaders {
  let casework: CaseworkLoaders | undefined;
  let execution: ExecutionLoaders | undefined;
  let internal: InternalLoaders | undefined;
  let pending: ReturnType<typeof pendingLoader> | undefined;
  return {
    get casework() {
      return (casework ??= caseworkLoaders(prisma, now));
    },
    get execution() {
      return (execution ??= executionLoaders(prisma));
    },
    get internal() {
      return (internal ??= internalLoaders(prisma));
    },
    get pending() {
      return (pending ??= pendingLoader(prisma));
    },
  };
}

/** One instant per request: rules and loaders agree on what "today" is. */
export function requestScope(prisma: PrismaClient, now: Date = new Date()) {
  return { now, loaders: requestLoaders(prisma, now) };
}
