// The error vocabulary. Every error a client can see is built here, so its
// extensions.code is stable; nothing else constructs codes by hand.
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { MunicipalityCode } from './municipality';

export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  SUBGRAPH_UNAVAILABLE: 'SUBGRAPH_UNAVAILABLE',
  /** The disclosing city has no consent or legal basis in force for the asker (rule 4). */
  DISCLOSURE_BASIS_LAPSED: 'DISCLOSURE_BASIS_LAPSED',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

type Extensions = Record<string, unknown>;

function error(code: ErrorCode, message: string, extensions: Extensions = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { ...extensions, code } });
}

export const badUserInput = (message: string, extensions?: Extensions) =>
  error(ErrorCode.BAD_USER_INPUT, message, extensions);

export const unauthenticated = (message = 'A valid bearer token is required') =>
  error(ErrorCode.UNAUTHENTICATED, message);

export const forbidden = (message: string, extensions?: Extensions) =>
  error(ErrorCode.FORBIDDEN, message, extensions);

export const notFound = (message: string, extensions?: Extensions) =>
  error(ErrorCode.NOT_FOUND, message, extensions);

/** A broken agreement rule. `rules` lists every violated rule's stable code. */
export const conflict = (message: string, rules: readonly string[], extensions?: Extensions) =>
  error(ErrorCode.CONFLICT, message, { ...extensions, rules: [...rules] });

export const subgraphUnavailable = (municipality: MunicipalityCode, reason: string) =>
  error(ErrorCode.SUBGRAPH_UNAVAILABLE, `Municipality ${municipality} is unavailable: ${reason}`, {
    municipality,
  });

export const disclosureBasisLapsed = (lapse: string) =>
  error(
    ErrorCode.DISCLOSURE_BASIS_LAPSED,
    'No consent or legal basis for disclosing this to your municipality is in force',
    {
      lapse,
    },
  );

export const internalError = () => error(ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error');

/** An error for the HTTP layer (context creation), with its HTTP status. */
export const httpError = (code: ErrorCode, message: string, status: number) =>
  new GraphQLError(message, { extensions: { code, http: { status } } });

const KNOWN_CODES = new Set<string>(Object.values(ErrorCode));
// Apollo's own request errors (validation, parsing, persisted queries) are safe to show.
const SAFE_APOLLO_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'DOWNSTREAM_SERVICE_ERROR',
]);

/**
 * Mask at the edge: errors with a code from the vocabulary pass through;
 * anything else becomes a generic internal error. Stack traces never leave
 * a production process.
 */
export function maskError(formatted: GraphQLFormattedError, production: boolean): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (
    typeof code === 'string' &&
    (KNOWN_CODES.has(code) || SAFE_APOLLO_CODES.has(code)) &&
    code !== 'INTERNAL_SERVER_ERROR'
  ) {
    if (!production) return formatted;
    const { stacktrace: _stacktrace, exception: _exception, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  if (!production) return formatted;
  return {
    message: 'Internal server error',
    path: formatted.path,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  };
}
