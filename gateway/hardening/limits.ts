// Limits on what one request may ask for, so a deeply nested or alias-bomb
// query is refused during validation, before any city is asked.
import { ApolloArmor } from '@escape.tech/graphql-armor';

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

export function requestLimits(options: RequestLimitsOptions) {
  const { plugins, validationRules } = new ApolloArmor({
    maxDepth: { n: options.maxDepth },
    maxAliases: { n: options.maxAliases },
    maxTokens: { n: options.maxTokens },
    maxDirectives: { n: options.maxDirectives },
    costLimit: { maxCost: options.maxCost },
    // Field suggestions reveal the schema to someone guessing at it.
    blockFieldSuggestion: { enabled: true },
  }).protect();
  return { plugins, validationRules };
}
