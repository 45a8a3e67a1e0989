// A configuration table from an environment schema: each variable's name,
// type, default and description, as the schema declares them.
import { z } from 'zod';
import { code, table } from './markdown';

interface Property {
  type?: string;
  enum?: unknown[];
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  default?: unknown;
  description?: string;
  kind?: string;
  whenUnset?: string;
}

export interface VariableDoc {
  name: string;
  type: string;
  default: string;
  description: string;
}

function typeOf(p: Property): string {
  if (p.kind) return p.kind;
  if (p.enum) return p.enum.map((value) => code(String(value))).join(' or ');
  if (p.format === 'uri') return 'URL';
  if (p.type === 'integer' || p.type === 'number') {
    const kind = p.type;
    if (p.minimum !== undefined && p.maximum !== undefined) return `${kind} ${p.minimum}–${p.maximum}`;
    if (p.exclusiveMinimum === 0) return `positive ${kind}`;
    if (p.minimum !== undefined) return `${kind} ≥ ${p.minimum}`;
    return kind;
  }
  return p.type ?? 'string';
}

function defaultOf(p: Property): string {
  if (p.default === '') return 'empty';
  if (p.default !== undefined)
    return code(typeof p.default === 'string' ? p.default : JSON.stringify(p.default));
  return p.whenUnset ?? '–';
}

/** Every variable of `schema`, in declaration order. Throws for one without a description. */
export function documentEnvironment(schema: z.ZodObject): VariableDoc[] {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, Property>;
  };
  return Object.entries(json.properties ?? {}).map(([name, p]) => {
    if (!p.description?.trim()) throw new Error(`${name} has no description`);
    return { name, type: typeOf(p), default: defaultOf(p), description: p.description.trim() };
  });
}

export function environmentTable(schema: z.ZodObject): string {
  return table(
    ['Variable', 'Type', 'Default', 'Description'],
    documentEnvironment(schema).map((v) => [code(v.name), v.type, v.default, v.description]),
  );
}
