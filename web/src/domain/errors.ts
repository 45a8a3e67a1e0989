// What the gateway's errors mean for the page: which cities did not answer
// (partial data), which agreement rules a change broke, or another refusal.
import type { CombinedError } from '@urql/core';

export interface Problems {
  /** Municipality codes of cities that did not answer (SUBGRAPH_UNAVAILABLE). */
  unavailable: string[];
  /** Rule codes of a CONFLICT, every broken rule. */
  rules: string[];
  /** The first other error's code and message, when there is one. */
  other?: { code: string; message: string };
}

interface ErrorLike {
  message: string;
  extensions?: Record<string, unknown>;
}

export function problemsOf(error: CombinedError | undefined): Problems {
  const problems: Problems = { unavailable: [], rules: [] };
  if (!error) return problems;
  if (error.networkError && error.graphQLErrors.length === 0)
    problems.other = { code: 'NETWORK', message: error.networkError.message };
  for (const e of error.graphQLErrors as ErrorLike[]) collect(problems, e);
  return problems;
}

/**
 * A plain HTTP answer's errors (a report's `{ errors }` body) read the same
 * way; without any, its status stands for the refusal.
 */
export function problemsOfResponse(status: number, body: unknown): Problems {
  const problems: Problems = { unavailable: [], rules: [] };
  const errors = (body as { errors?: unknown } | null)?.errors;
  if (Array.isArray(errors)) for (const e of errors as ErrorLike[]) collect(problems, e);
  if (problems.unavailable.length === 0 && problems.rules.length === 0 && !problems.other)
    problems.other = { code: STATUS_CODES[status] ?? 'NETWORK', message: `HTTP ${status}` };
  return problems;
}

const STATUS_CODES: Partial<Record<number, string>> = {
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
};

function collect(problems: Problems, e: ErrorLike) {
  const code = typeof e.extensions?.code === 'string' ? e.extensions.code : 'INTERNAL_SERVER_ERROR';
  if (code === 'SUBGRAPH_UNAVAILABLE') {
    const municipality = e.extensions?.municipality;
    if (typeof municipality === 'string' && !problems.unavailable.includes(municipality))
      problems.unavailable.push(municipality);
    return;
  }
  if (code === 'CONFLICT' && Array.isArray(e.extensions?.rules)) {
    for (const rule of e.extensions.rules as unknown[])
      if (typeof rule === 'string' && !problems.rules.includes(rule)) problems.rules.push(rule);
    return;
  }
  // Withheld details are explained from the assignment's disclosure, not shown as a failure.
  if (code === 'DISCLOSURE_BASIS_LAPSED') return;
  problems.other ??= { code, message: e.message };
}
