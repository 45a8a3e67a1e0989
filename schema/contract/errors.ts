// The error vocabulary. Every code a client (or another city) can receive is
// declared here with when it happens, and every error is built here, so its
// extensions.code is stable; nothing else writes a code by hand (a lint rule
// refuses `code:` literals elsewhere). The documentation's error table is
// generated from ERROR_CODES.
import { GraphQLError, type ASTNode, type GraphQLFormattedError } from 'graphql';
import type { MunicipalityCode } from './municipality';

interface CodeDescription {
  /** Where the code is produced: our resolvers and gateway, the GraphQL layer, HTTP or city-to-city messages. */
  layer: 'application' | 'graphql' | 'http' | 'peer';
  /** When a client gets it. */
  when: string;
  /** The extensions that come with it besides `code`. */
  extensions: readonly string[];
}

export const ERROR_CODES = {
  BAD_USER_INPUT: {
    layer: 'application',
    when: 'An argument or input field is malformed or out of range (also a literal or variable the schema refuses, such as a date that does not exist).',
    extensions: ['argument or field (the input that was refused)'],
  },
  UNAUTHENTICATED: {
    layer: 'application',
    when: 'No bearer token, or a token that is malformed, expired, not yet valid, without `exp` or `iat`, older or meant to live longer than the maximum token age, or not issued by an identity provider of this network. At a city also: a gateway principal signed for another city or another body, or used before; and /metrics without its token.',
    extensions: [],
  },
  FORBIDDEN: {
    layer: 'application',
    when: "The caller's permissions do not allow this field, or the caller's municipality is a party but not the one the change belongs to. A municipality that is not one of the two parties to a reconciliation gets it with the rule NOT_A_PARTY_TO_RECONCILIATION, for reads and changes alike.",
    extensions: ['requiredPermissions', 'rules (NOT_A_PARTY_TO_RECONCILIATION)'],
  },
  NOT_FOUND: {
    layer: 'application',
    when: 'The record does not exist, or the caller is not a party to it (the two are not told apart).',
    extensions: ['argument or field'],
  },
  CONFLICT: {
    layer: 'application',
    when: 'A rule of the agreement refuses the change; every broken rule is listed at once.',
    extensions: ['rules', 'violations', 'municipality (when another city refused)'],
  },
  SUBGRAPH_UNAVAILABLE: {
    layer: 'application',
    when: 'A city did not answer in time or could not be reached; the rest of the answer is still given.',
    extensions: ['municipality', 'circuit (when the gateway did not even ask)'],
  },
  DISCLOSURE_BASIS_LAPSED: {
    layer: 'application',
    when: 'The disclosing city has no consent or legal basis in force for the caller (rule 4); the field is null.',
    extensions: ['lapse (MISSING, WITHDRAWN or EXPIRED)'],
  },
  OPERATION_NOT_TRUSTED: {
    layer: 'application',
    when: 'The gateway runs only the operations of its trusted-documents manifest, and this one is not in it.',
    extensions: [],
  },
  INTERNAL_SERVER_ERROR: {
    layer: 'application',
    when: 'Anything unexpected. In production the message is generic and nothing internal is shown.',
    extensions: [],
  },
  GRAPHQL_PARSE_FAILED: {
    layer: 'graphql',
    when: 'The document is not valid GraphQL syntax.',
    extensions: [],
  },
  GRAPHQL_VALIDATION_FAILED: {
    layer: 'graphql',
    when: 'The document asks for something the schema does not have, breaks a request limit (depth, aliases, directives, estimated cost, tokens: the message names the limit, what was found and how to stay within it), or holds more than one mutation field in one operation.',
    extensions: [
      'limit (the request limit broken: depth, aliases, directives, cost or tokens)',
      'maximum',
      'found (except for tokens)',
    ],
  },
  PERSISTED_QUERY_NOT_FOUND: {
    layer: 'graphql',
    when: 'An automatic persisted query hash the gateway does not know yet: send the query text with it once.',
    extensions: [],
  },
  PERSISTED_QUERY_NOT_SUPPORTED: {
    layer: 'graphql',
    when: 'Automatic persisted queries are turned off on this gateway.',
    extensions: [],
  },
  OPERATION_RESOLUTION_FAILURE: {
    layer: 'graphql',
    when: 'The document holds several operations and operationName does not pick one, or operationName names none of its operations (an empty one included).',
    extensions: [],
  },
  BAD_REQUEST: {
    layer: 'http',
    when: 'The HTTP request itself is malformed: not JSON, too large, wrong method or content type, or a CSRF-unsafe request.',
    extensions: [],
  },
  MALFORMED_MESSAGE: {
    layer: 'peer',
    when: 'A message from another city does not match the protocol; nothing was applied.',
    extensions: [],
  },
  MESSAGE_IN_PROGRESS: {
    layer: 'peer',
    when: 'A message with this id is being applied right now; the sender retries later.',
    extensions: [],
  },
  QUESTIONS_OVER_BUDGET: {
    layer: 'peer',
    when: 'The asking city has used its budget of questions (`PEER_DIGEST_BUCKETS_PER_MINUTE`, `PEER_QUESTIONS_PER_MINUTE`); nothing was read, and it asks again later.',
    extensions: [],
  },
  MESSAGES_OVER_BUDGET: {
    layer: 'peer',
    when: 'The sending city has used its budget of changes, of refused changes or of checkpoints this city keeps (`PEER_CHANGES_PER_MINUTE`, `PEER_REFUSALS_PER_MINUTE`, `PEER_CHECKPOINTS_PER_MINUTE`), or holds as many unanswered proposals here as it may (`PEER_OPEN_PROPOSALS_PER_CITY`); nothing was written, and its outbox sends the message again later.',
    extensions: [],
  },
} as const satisfies Record<string, CodeDescription>;

export type ErrorCode = keyof typeof ERROR_CODES;
export const ErrorCode = Object.fromEntries(Object.keys(ERROR_CODES).map((code) => [code, code])) as {
  [K in ErrorCode]: K;
};

type Extensions = Record<string, unknown>;

function error(code: ErrorCode, message: string, extensions: Extensions = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { ...extensions, code } });
}

export const badUserInput = (message: string, extensions?: Extensions) =>
  error(ErrorCode.BAD_USER_INPUT, message, extensions);

/** Refused authentication; `http` makes the answer a 401 where it is raised before execution. */
export const unauthenticated = (message = 'A valid bearer token is required') =>
  error(ErrorCode.UNAUTHENTICATED, message, { http: { status: 401 } });

/** operationName names no operation of the document (refused before Apollo when it is empty). */
export const unknownOperation = (name: string) =>
  error(
    ErrorCode.OPERATION_RESOLUTION_FAILURE,
    `Unknown operation named ${JSON.stringify(name)}: name one of the document’s operations, or none.`,
  );

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

/** The same, as the formatted error the gateway's data sources hand to Apollo. */
export const unavailableCity = (
  municipality: MunicipalityCode,
  reason: string,
  extensions: Extensions = {},
): GraphQLFormattedError => ({
  message: `Municipality ${municipality} is unavailable: ${reason}`,
  extensions: { ...extensions, code: ErrorCode.SUBGRAPH_UNAVAILABLE, municipality },
});

/** An error answered by the gateway for one root field, without asking any city. */
export const refusedField = (
  code: ErrorCode,
  message: string,
  path: readonly (string | number)[],
): GraphQLFormattedError => ({ message, path, extensions: { code } });

/** A document the gateway refuses during validation, pointing at the parts at fault. */
export const validationFailed = (message: string, nodes: readonly ASTNode[]) =>
  new GraphQLError(message, { nodes, extensions: { code: ErrorCode.GRAPHQL_VALIDATION_FAILED } });

/** A request limit (depth, aliases, directives, cost) broken: refused during validation, before any city is asked. */
export const requestLimitExceeded = (message: string, extensions: Extensions) =>
  error(ErrorCode.GRAPHQL_VALIDATION_FAILED, message, extensions);

export const disclosureBasisLapsed = (lapse: string) =>
  error(
    ErrorCode.DISCLOSURE_BASIS_LAPSED,
    'No consent or legal basis for disclosing this to your municipality is in force',
    { lapse },
  );

export const operationNotTrusted = () =>
  error(ErrorCode.OPERATION_NOT_TRUSTED, 'Only trusted documents may run here', { http: { status: 400 } });

/** The JSON body of an error answered outside GraphQL execution (HTTP layer, reports). */
export const errorBody = (code: ErrorCode, message: string) => ({
  errors: [{ message, extensions: { code } }],
});

/** A refusal in the city-to-city protocol. */
export interface PeerRefusal {
  ok: false;
  code: ErrorCode;
  message: string;
  rules?: string[];
}

export const peerRefusal = (code: ErrorCode, message: string, rules?: readonly string[]): PeerRefusal => ({
  ok: false,
  code,
  message,
  ...(rules ? { rules: [...rules] } : {}),
});

const SAFE_CODES = new Set<string>(
  Object.keys(ERROR_CODES).filter((code) => code !== ErrorCode.INTERNAL_SERVER_ERROR),
);

/**
 * A validation error raised because a scalar refused a literal (an invalid
 * Date written in the query) is bad input, as the same value in a variable is.
 */
function refusedLiteral(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError | null {
  if (formatted.extensions?.code !== ErrorCode.GRAPHQL_VALIDATION_FAILED) return null;
  // Apollo wraps graphql-js's validation error, which wraps the scalar's own.
  let cause = (error as { originalError?: unknown } | null)?.originalError;
  while (cause instanceof GraphQLError && cause.extensions.code !== ErrorCode.BAD_USER_INPUT)
    cause = cause.originalError;
  if (!(cause instanceof GraphQLError)) return null;
  return { ...formatted, extensions: { ...formatted.extensions, code: ErrorCode.BAD_USER_INPUT } };
}

/**
 * Mask at the edge: errors with a code from the vocabulary pass through;
 * anything else becomes a generic internal error. Stack traces never leave
 * a production process.
 */
export function maskError(
  formatted: GraphQLFormattedError,
  production: boolean,
  error?: unknown,
): GraphQLFormattedError {
  const result = refusedLiteral(formatted, error) ?? formatted;
  const code = result.extensions?.code;
  if (typeof code === 'string' && SAFE_CODES.has(code)) {
    if (!production) return result;
    const { stacktrace: _stacktrace, exception: _exception, ...extensions } = result.extensions ?? {};
    return { ...result, extensions };
  }
  if (!production) return result;
  return {
    message: 'Internal server error',
    path: result.path,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  };
}
