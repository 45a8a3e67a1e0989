// Limits on what one request may ask for, so a deeply nested or alias-bomb
// query is refused during validation, before any city is asked. Each refusal
// names the limit, what was found and how to stay within it.
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { RequestHandler } from 'express';
import {
  GraphQLError as SyntaxProblem,
  Lexer,
  Source,
  TokenKind,
  type DocumentNode,
  type GraphQLError,
  type ValidationContext,
} from 'graphql';
import { requestLimitExceeded } from '../../schema/contract/errors';
import { pageSizeRule } from './pageSize';

export interface RequestLimitsOptions {
  /** Deepest selection. @default 12 */
  maxDepth: number;
  /** Aliases in one operation. @default 15 */
  maxAliases: number;
  /** Tokens in one document. @default 3000 */
  maxTokens: number;
  /** Estimated cost of one operation. @default 5000 */
  maxCost: number;
  /** Directives in one operation. @default 20 */
  maxDirectives: number;
}

type Limit = 'depth' | 'aliases' | 'directives' | 'cost';

const ADVICE: Record<Limit, (maximum: number, found: string) => string> = {
  depth: (maximum, found) =>
    `The operation nests ${found} levels deep, more than the limit of ${maximum}: select less deeply (ask for nested records in a request of their own).`,
  aliases: (maximum, found) =>
    `The operation uses ${found} aliases, more than the limit of ${maximum}: send fewer aliased fields per request.`,
  directives: (maximum, found) =>
    `The operation uses ${found} directives, more than the limit of ${maximum}: send fewer directives per request.`,
  cost: (maximum, found) =>
    `The operation's estimated cost is ${found}, above the limit of ${maximum}: ask for fewer items per page (a smaller first), fewer fields or less nesting. Each field costs 1, each object 2, nested selections 1.5 times their depth, and a literal first multiplies its selection.`,
};

/**
 * The library reports "Syntax Error: … limit of N exceeded, found M."; the
 * client gets the limit's name, both numbers and advice instead. A document
 * whose page size is already refused gets only that refusal: its cost comes
 * from the same number.
 */
function reportAs(limit: Limit, pageSizeRefused: WeakSet<DocumentNode>) {
  return (context: ValidationContext | null, error: GraphQLError) => {
    if (!context || (limit === 'cost' && pageSizeRefused.has(context.getDocument()))) return;
    const [, maximum = '0', found = '?'] =
      /limit of (\d+) exceeded, found (\d+(?:\.\d+)?)/.exec(error.message) ?? [];
    context.reportError(
      requestLimitExceeded(ADVICE[limit](Number(maximum), found), {
        limit,
        maximum: Number(maximum),
        found: Number(found),
      }),
    );
  };
}

export function requestLimits(options: RequestLimitsOptions) {
  const pageSizeRefused = new WeakSet<DocumentNode>();
  const rejection = (limit: Limit) => ({
    propagateOnRejection: false,
    onReject: [reportAs(limit, pageSizeRefused)],
  });
  const { plugins, validationRules } = new ApolloArmor({
    maxDepth: { n: options.maxDepth, ...rejection('depth') },
    maxAliases: { n: options.maxAliases, ...rejection('aliases') },
    // Counted before Apollo instead (tokenLimit): the library's Apollo plugin
    // parses on its own and turns every syntax error into an HTTP 500.
    maxTokens: { enabled: false },
    maxDirectives: { n: options.maxDirectives, ...rejection('directives') },
    costLimit: { maxCost: options.maxCost, ...rejection('cost') },
    // Field suggestions reveal the schema to someone guessing at it.
    blockFieldSuggestion: { enabled: true },
  }).protect();
  // The page size rule first: the cost rule looks at what it found.
  return { plugins, validationRules: [pageSizeRule(pageSizeRefused), ...validationRules] };
}

/**
 * The token limit, checked on the query text before Apollo parses it: a
 * document with more tokens is refused (HTTP 400) without being parsed. A
 * text the lexer cannot read is left to Apollo, which answers it as a
 * syntax error.
 */
export function tokenLimit(maxTokens: number): RequestHandler {
  return (req, res, next) => {
    const body = req.body as { query?: unknown } | undefined;
    const query = req.method === 'GET' ? req.query.query : body?.query;
    if (typeof query !== 'string') return next();
    let tokens = 0;
    try {
      const lexer = new Lexer(new Source(query));
      while (lexer.advance().kind !== TokenKind.EOF && tokens <= maxTokens) tokens++;
    } catch (error) {
      if (error instanceof SyntaxProblem) return next();
      throw error;
    }
    if (tokens <= maxTokens) return next();
    const refusal = requestLimitExceeded(
      `The document has more than ${maxTokens} tokens, the limit: send a shorter document (fewer fields, aliases or literal values; pass values as variables).`,
      { limit: 'tokens', maximum: maxTokens },
    );
    res.status(400).json({ errors: [refusal.toJSON()] });
  };
}
