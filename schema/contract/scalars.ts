// Scalars shared by every city schema. Values are plain JSON strings on the
// wire; these only turn database values into them and check inputs.
import { GraphQLScalarType, Kind } from 'graphql';
import { badUserInput } from './errors';
import { formatAmount, type DecimalLike } from './money';
import { isIsoDate } from './dates';

function stringScalar(
  name: string,
  description: string,
  serialize: (v: unknown) => string,
  check: RegExp,
  valid: (v: string) => boolean = () => true,
) {
  const parse = (value: unknown) => {
    if (typeof value !== 'string' || !check.test(value) || !valid(value)) {
      throw badUserInput(`${name} expected, got ${JSON.stringify(value)}`);
    }
    return value;
  };
  return new GraphQLScalarType({
    name,
    description,
    serialize,
    parseValue: parse,
    parseLiteral: (ast) => parse(ast.kind === Kind.STRING ? ast.value : undefined),
  });
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const DECIMAL = /^-?\d{1,10}(\.\d{1,2})?$/;

export const DateScalar = stringScalar(
  'Date',
  'ISO 8601 calendar date',
  (v) => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v)),
  DATE,
  isIsoDate,
);

export const DateTimeScalar = stringScalar(
  'DateTime',
  'ISO 8601 instant in UTC',
  (v) => (v instanceof Date ? v.toISOString() : String(v)),
  INSTANT,
  (v: string) => !Number.isNaN(Date.parse(v)),
);

export const DecimalScalar = stringScalar(
  'Decimal',
  'Decimal amount with two decimals',
  // Amounts arrive here already formatted by money(); shares such as "0.4563" keep their digits.
  (v) => (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? v : formatAmount(v as DecimalLike)),
  DECIMAL,
);
