// Compares a live PostgreSQL schema with what schema.prisma describes, so the
// hand-written migrations cannot drift from the Prisma schema unnoticed. Both
// sides are reduced to the same shape and compared; anything this file has no
// rule for is reported as a difference rather than passed over.
import type { getDMMF } from '@prisma/internals';
import type { SqlRunner } from '../../subgraphs/db/database';

export type Datamodel = Awaited<ReturnType<typeof getDMMF>>['datamodel'];
type Model = Datamodel['models'][number];
type Field = Model['fields'][number];

interface Column {
  type: string;
  nullable: boolean;
  default: string | null;
}

export interface SchemaShape {
  tables: Map<string, Map<string, Column>>;
  /** Index name -> e.g. `UNIQUE btree plan_version(assignment_id, version)`. */
  indexes: Map<string, string>;
  /** Constraint name -> e.g. `case(unit_id) -> unit(id) ON DELETE RESTRICT ON UPDATE CASCADE`. */
  foreignKeys: Map<string, string>;
  enums: Map<string, string[]>;
}

const emptyShape = (): SchemaShape => ({
  tables: new Map(),
  indexes: new Map(),
  foreignKeys: new Map(),
  enums: new Map(),
});

const IGNORED_TABLES = new Set(['_prisma_migrations']);
const IDENTIFIER_LIMIT = 63; // PostgreSQL's NAMEDATALEN - 1; Prisma truncates default names to it.

/** Differences between the database behind `db` and the Prisma datamodel; empty when they match. */
export async function schemaDifferences(
  datamodel: Datamodel,
  db: SqlRunner,
  schema = 'public',
): Promise<string[]> {
  const problems: string[] = [];
  const expected = expectedShape(datamodel, problems);
  return [...problems, ...compareShapes(expected, await introspect(db, schema))];
}

export function compareShapes(expected: SchemaShape, actual: SchemaShape): string[] {
  const out: string[] = [];
  const same = (kind: string) => (name: string, want: unknown, have: unknown) => {
    if (fmt(want) !== fmt(have))
      out.push(`${kind} "${name}" is ${fmt(have)}, schema.prisma says ${fmt(want)}`);
  };
  compareKeys('table', expected.tables, actual.tables, out, () => {});
  // Columns only of tables on both sides; a missing table is one difference.
  const columns = (shape: SchemaShape, other: SchemaShape) =>
    new Map(
      [...shape.tables]
        .filter(([table]) => other.tables.has(table))
        .flatMap(([table, cols]) => [...cols].map(([column, info]) => [`${table}.${column}`, info] as const)),
    );
  compareKeys('column', columns(expected, actual), columns(actual, expected), out, same('column'));
  compareKeys('index', expected.indexes, actual.indexes, out, same('index'));
  compareKeys('foreign key', expected.foreignKeys, actual.foreignKeys, out, same('foreign key'));
  compareKeys('enum', expected.enums, actual.enums, out, same('enum'));
  return out;
}

function compareKeys<T>(
  kind: string,
  want: Map<string, T>,
  have: Map<string, T>,
  out: string[],
  both: (key: string, w: T, h: T) => void,
) {
  for (const [key, w] of want) {
    const h = have.get(key);
    if (h === undefined) out.push(`missing ${kind} "${key}" (schema.prisma: ${fmt(w)})`);
    else both(key, w, h);
  }
  for (const [key, h] of have) if (!want.has(key)) out.push(`unexpected ${kind} "${key}": ${fmt(h)}`);
}

function fmt(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Map) return `(${[...value.keys()].join(', ')})`;
  if (Array.isArray(value)) return JSON.stringify(value);
  const column = value as Column;
  return `${column.type}${column.nullable ? '' : ' NOT NULL'}${column.default === null ? '' : ` DEFAULT ${column.default}`}`;
}

// ---- What schema.prisma implies (Prisma's PostgreSQL rendering) ----

export function expectedShape(datamodel: Datamodel, problems: string[] = []): SchemaShape {
  const models = new Map(datamodel.models.map((m) => [m.name, m]));
  const enumDbName = new Map(datamodel.enums.map((e) => [e.name, e.dbName ?? e.name]));
  const shape = emptyShape();
  for (const e of datamodel.enums) {
    shape.enums.set(
      e.dbName ?? e.name,
      e.values.map((v) => v.dbName ?? v.name),
    );
  }

  for (const model of datamodel.models) {
    const table = tableName(model);
    const columns = new Map<string, Column>();
    for (const field of model.fields) {
      if (field.kind === 'object') continue;
      const type = columnType(field, enumDbName, problems, model);
      columns.set(columnName(field), {
        type,
        // Prisma creates scalar lists without NOT NULL, whatever the field says.
        nullable: !field.isRequired || field.isList,
        default: columnDefault(field, table, type, problems, model),
      });
    }
    shape.tables.set(table, columns);

    for (const field of model.fields) {
      if (field.kind !== 'object' || !field.relationFromFields?.length) continue;
      const target = models.get(field.type)!;
      const from = field.relationFromFields.map((name) => columnName(fieldOf(model, name)));
      const to = (field.relationToFields ?? []).map((name) => columnName(fieldOf(target, name)));
      // Prisma's defaults: optional relations SET NULL, required ones RESTRICT; updates cascade.
      const onDelete = field.relationOnDelete ?? (field.isRequired ? 'Restrict' : 'SetNull');
      const onUpdate = field.relationOnUpdate ?? 'Cascade';
      shape.foreignKeys.set(
        defaultName(`${table}_${from.join('_')}`, '_fkey'),
        `${table}(${from.join(', ')}) -> ${tableName(target)}(${to.join(', ')}) ON DELETE ${action(onDelete)} ON UPDATE ${action(onUpdate)}`,
      );
    }
  }

  for (const index of datamodel.indexes) {
    const model = models.get(index.model)!;
    const table = tableName(model);
    const columns = index.fields.map((f) => columnName(fieldOf(model, f.name)));
    const keys = index.fields.map((f, i) => columns[i] + (f.sortOrder === 'desc' ? ' DESC' : ''));
    const method = (index.algorithm ?? 'BTree').toLowerCase();
    if (index.type === 'id') {
      const name = index.dbName ?? model.primaryKey?.name ?? `${table}_pkey`;
      shape.indexes.set(name, describeIndex('PRIMARY KEY', method, table, keys));
    } else if (index.type === 'unique' || index.type === 'normal') {
      const unique = index.type === 'unique';
      const name = index.dbName ?? defaultName(`${table}_${columns.join('_')}`, unique ? '_key' : '_idx');
      shape.indexes.set(name, describeIndex(unique ? 'UNIQUE' : 'INDEX', method, table, keys));
    } else {
      problems.push(`${index.model}: no rule for ${index.type} indexes`);
    }
  }
  return shape;
}

const tableName = (model: Model) => model.dbName ?? model.name;
const columnName = (field: Field) => field.dbName ?? field.name;
const fieldOf = (model: Model, name: string) => model.fields.find((f) => f.name === name)!;
const describeIndex = (kind: string, method: string, table: string, keys: string[]) =>
  `${kind} ${method} ${table}(${keys.join(', ')})`;

function defaultName(base: string, suffix: string): string {
  return base.slice(0, IDENTIFIER_LIMIT - suffix.length) + suffix;
}

function action(prismaAction: string): string {
  const sql: Record<string, string> = {
    Cascade: 'CASCADE',
    Restrict: 'RESTRICT',
    NoAction: 'NO ACTION',
    SetNull: 'SET NULL',
    SetDefault: 'SET DEFAULT',
  };
  return sql[prismaAction] ?? `unknown action ${prismaAction}`;
}

/** Types as PostgreSQL's format_type() prints them. */
const SCALAR_TYPES: Record<string, string> = {
  String: 'text',
  Int: 'integer',
  BigInt: 'bigint',
  Float: 'double precision',
  Decimal: 'numeric(65,30)',
  Boolean: 'boolean',
  DateTime: 'timestamp(3) without time zone',
  Json: 'jsonb',
  Bytes: 'bytea',
};

const precision =
  (name: string, suffix = '') =>
  (args: string[]) =>
    `${name}${args[0] === undefined ? '' : `(${args[0]})`}${suffix}`;

const NATIVE_TYPES: Record<string, (args: string[]) => string> = {
  Text: () => 'text',
  Char: (a) => `character(${a[0] ?? 1})`,
  VarChar: precision('character varying'),
  Uuid: () => 'uuid',
  Integer: () => 'integer',
  SmallInt: () => 'smallint',
  BigInt: () => 'bigint',
  Oid: () => 'oid',
  Real: () => 'real',
  DoublePrecision: () => 'double precision',
  Decimal: (a) => (a.length ? `numeric(${a[0]},${a[1] ?? 0})` : 'numeric'),
  Money: () => 'money',
  Boolean: () => 'boolean',
  Date: () => 'date',
  Timestamp: precision('timestamp', ' without time zone'),
  Timestamptz: precision('timestamp', ' with time zone'),
  Time: precision('time', ' without time zone'),
  Timetz: precision('time', ' with time zone'),
  Json: () => 'json',
  JsonB: () => 'jsonb',
  ByteA: () => 'bytea',
  Inet: () => 'inet',
  Xml: () => 'xml',
  Bit: (a) => `bit(${a[0] ?? 1})`,
  VarBit: precision('bit varying'),
};

function columnType(field: Field, enums: Map<string, string>, problems: string[], model: Model): string {
  let type: string | undefined;
  if (field.kind === 'enum') type = enums.get(field.type);
  else if (field.nativeType) type = NATIVE_TYPES[field.nativeType[0]]?.([...field.nativeType[1]]);
  else type = SCALAR_TYPES[field.type];
  if (type === undefined) {
    problems.push(
      `${model.name}.${field.name}: no rule for type ${field.type} ${JSON.stringify(field.nativeType)}`,
    );
    return `?${field.type}`;
  }
  return field.isList ? `${type}[]` : type;
}

/** Defaults as pg_get_expr() prints them; client-side defaults (uuid(), cuid()) have none. */
function columnDefault(
  field: Field,
  table: string,
  type: string,
  problems: string[],
  model: Model,
): string | null {
  const value = field.default;
  if (value === undefined) return null;
  if (typeof value === 'object' && !Array.isArray(value) && 'name' in value) {
    switch (value.name) {
      case 'now':
        return 'CURRENT_TIMESTAMP';
      case 'autoincrement':
        return `nextval('${defaultName(`${table}_${columnName(field)}`, '_seq')}'::regclass)`;
      case 'dbgenerated':
        return value.args[0] === undefined ? null : String(value.args[0]);
      case 'uuid':
      case 'cuid':
      case 'nanoid':
      case 'ulid':
        return null;
    }
  } else if (
    typeof value === 'boolean' ||
    (typeof value === 'number' && value >= 0 && type !== 'double precision')
  ) {
    return String(value);
  } else if (typeof value === 'string' && (field.kind === 'enum' || type === 'text')) {
    return `'${value.replace(/'/g, "''")}'::${type}`;
  }
  problems.push(`${model.name}.${field.name}: no rule for default ${JSON.stringify(value)}`);
  return `?${JSON.stringify(value)}`;
}

// ---- What the database has ----

export async function introspect(db: SqlRunner, schema = 'public'): Promise<SchemaShape> {
  const shape = emptyShape();

  const columns = await db.query<{ table: string; column: string | null } & Column>(
    `SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
            NOT a.attnotnull AS nullable, pg_get_expr(d.adbin, d.adrelid) AS default
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
       LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')
      ORDER BY c.relname, a.attnum`,
    [schema],
  );
  for (const { table, column, ...info } of columns) {
    if (IGNORED_TABLES.has(table)) continue;
    const cols = shape.tables.get(table) ?? new Map<string, Column>();
    shape.tables.set(table, cols);
    // format_type quotes names that need it (enum types named like keywords).
    if (column !== null) cols.set(column, { ...info, type: info.type.replace(/"/g, '') });
  }

  const indexes = await db.query<{
    name: string;
    table: string;
    primary: boolean;
    unique: boolean;
    method: string;
    keys: string[];
    predicate: string | null;
  }>(
    `SELECT ic.relname AS name, t.relname AS table, i.indisprimary AS primary, i.indisunique AS unique,
            am.amname AS method, pg_get_expr(i.indpred, i.indrelid) AS predicate,
            array(SELECT coalesce(a.attname::text, pg_get_indexdef(i.indexrelid, k, true))
                         || CASE WHEN i.indoption[k - 1] & 1 = 1 THEN ' DESC' ELSE '' END
                    FROM generate_series(1, i.indnkeyatts) AS k
                    LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k - 1]
                   ORDER BY k)::text[] AS keys
       FROM pg_index i
       JOIN pg_class ic ON ic.oid = i.indexrelid
       JOIN pg_class t ON t.oid = i.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
       JOIN pg_am am ON am.oid = ic.relam
      WHERE n.nspname = $1`,
    [schema],
  );
  for (const i of indexes) {
    if (IGNORED_TABLES.has(i.table)) continue;
    const kind = i.primary ? 'PRIMARY KEY' : i.unique ? 'UNIQUE' : 'INDEX';
    const partial = i.predicate ? ` WHERE ${i.predicate}` : '';
    shape.indexes.set(i.name, describeIndex(kind, i.method, i.table, i.keys) + partial);
  }

  const fks = await db.query<{
    name: string;
    table: string;
    columns: string[];
    ref_table: string;
    ref_columns: string[];
    on_delete: string;
    on_update: string;
  }>(
    `SELECT con.conname AS name, c.relname AS table, rc.relname AS ref_table,
            con.confdeltype AS on_delete, con.confupdtype AS on_update,
            array(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY AS k(num, ord)
                    JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num ORDER BY k.ord) AS columns,
            array(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY AS k(num, ord)
                    JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num ORDER BY k.ord) AS ref_columns
       FROM pg_constraint con
       JOIN pg_class c ON c.oid = con.conrelid
       JOIN pg_class rc ON rc.oid = con.confrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE con.contype = 'f' AND n.nspname = $1`,
    [schema],
  );
  const actions: Record<string, string> = {
    a: 'NO ACTION',
    r: 'RESTRICT',
    c: 'CASCADE',
    n: 'SET NULL',
    d: 'SET DEFAULT',
  };
  for (const fk of fks) {
    shape.foreignKeys.set(
      fk.name,
      `${fk.table}(${fk.columns.join(', ')}) -> ${fk.ref_table}(${fk.ref_columns.join(', ')}) ` +
        `ON DELETE ${actions[fk.on_delete]} ON UPDATE ${actions[fk.on_update]}`,
    );
  }

  const enums = await db.query<{ name: string; values: string[] }>(
    `SELECT t.typname AS name,
            array(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) AS values
       FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE t.typtype = 'e' AND n.nspname = $1`,
    [schema],
  );
  for (const e of enums) shape.enums.set(e.name, e.values);
  return shape;
}
