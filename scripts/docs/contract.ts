// Tables from the contract: which permission may run which root field
// (FIELD_PERMISSIONS, by the API that serves the field) and every error code
// a client or another city can receive (ERROR_CODES).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, parse } from 'graphql';
import { CSV_COLUMN_MEANINGS } from '../../gateway/reports/evaluationCsv';
import { ERROR_CODES } from '../../schema/contract/errors';
import { FIELD_PERMISSIONS, PERMISSION_TITLES, PERMISSIONS } from '../../schema/contract/permissions';
import { code, table } from './markdown';

/** The APIs whose root fields FIELD_PERMISSIONS covers, by SDL file. */
export const APIS = {
  casework: 'casework.graphql',
  execution: 'execution.graphql',
  agreement: 'agreement.graphql',
  internal: 'internal.graphql',
} as const;
export type Api = keyof typeof APIS;

interface RootField {
  api: Api;
  hidden: boolean;
}

/** Every root field ("Query.x", "Mutation.y") of each API's SDL. */
export function rootFields(root: string): Map<string, RootField[]> {
  const fields = new Map<string, RootField[]>();
  for (const [api, file] of Object.entries(APIS) as [Api, string][]) {
    const document = parse(readFileSync(join(root, 'schema', file), 'utf8'));
    for (const definition of document.definitions) {
      if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION)
        continue;
      const type = definition.name.value;
      if (type !== 'Query' && type !== 'Mutation') continue;
      for (const field of definition.fields ?? []) {
        const hidden = Boolean(field.directives?.some((d) => d.name.value === 'inaccessible'));
        const key = `${type}.${field.name.value}`;
        fields.set(key, [...(fields.get(key) ?? []), { api, hidden }]);
      }
    }
  }
  return fields;
}

/** The permission table of the root fields served by `apis`, in FIELD_PERMISSIONS's order. */
export function permissionTable(root: string, apis: readonly Api[]): string {
  const served = rootFields(root);
  const rows: string[][] = [];
  for (const [field, allowed] of Object.entries(FIELD_PERMISSIONS)) {
    const where = served.get(field);
    if (!where) throw new Error(`${field} has a permission but no API in schema/ serves it`);
    const here = where.filter((w) => apis.includes(w.api));
    if (here.length === 0) continue;
    const api = [...new Set(here.map((w) => w.api))].join(', ');
    const hidden = here.every((w) => w.hidden) ? ' (hidden from clients)' : '';
    rows.push([
      `${code(field)}${hidden}`,
      ...(apis.length > 1 ? [api] : []),
      ...PERMISSIONS.map((permission) => (allowed.includes(permission) ? '✔' : '')),
    ]);
  }
  const header = [
    'Root field',
    ...(apis.length > 1 ? ['Served by'] : []),
    ...PERMISSIONS.map((permission) => `${permission} (${PERMISSION_TITLES[permission]})`),
  ];
  return table(header, rows);
}

/** "argument or field (the input that was refused)" → "`argument` or `field` (the input that was refused)". */
function extension(description: string): string {
  const [, names = description, rest = ''] = /^([^()]+?)(\s*\(.*\))?$/.exec(description) ?? [];
  return `${names
    .split(' or ')
    .map((name) => code(name.trim()))
    .join(' or ')}${rest}`;
}

export function errorTable(): string {
  return table(
    ['Code', 'Layer', 'When', 'Extensions besides `code`'],
    Object.entries(ERROR_CODES).map(([errorCode, d]) => [
      code(errorCode),
      d.layer,
      d.when,
      d.extensions.length > 0 ? (d.extensions as readonly string[]).map(extension).join('; ') : '–',
    ]),
  );
}

/** The evaluation report CSV's columns, in their order, with what each holds. */
export function evaluationColumnTable(): string {
  return table(
    ['Column', 'What it holds'],
    Object.entries(CSV_COLUMN_MEANINGS).map(([column, meaning]) => [code(column), meaning]),
  );
}
