// Reads prisma/schema.prisma through Prisma's own schema parser (the WebAssembly build, so no
// engine binary is needed) and describes the Postgres shape it implies, the way `prisma migrate`
// would create it. Two uses:
//   - `npm run db:sql` prints the CREATE script, to write a migration by hand on machines where
//     `prisma migrate dev` cannot run (a new migration is the ALTERs between two such scripts);
//   - test/integration/schema-drift.test.ts compares this shape with a database migrated by
//     lib/data/migrate.ts, so a schema.prisma that drifts from the migrations fails the build.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { get_dmmf } from '@prisma/prisma-schema-wasm';

type DmmfField = {
  name: string;
  kind: 'scalar' | 'enum' | 'object';
  type: string;
  isList: boolean;
  isRequired: boolean;
  isId: boolean;
  isUnique: boolean;
  isUpdatedAt: boolean;
  hasDefaultValue: boolean;
  default?: unknown;
  dbName?: string | null;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
  relationOnUpdate?: string;
};
type DmmfModel = { name: string; dbName: string | null; fields: DmmfField[]; primaryKey: { name: string | null; fields: string[] } | null };
type DmmfIndex = { model: string; type: 'id' | 'unique' | 'normal' | 'fulltext'; dbName?: string | null; name?: string | null; fields: { name: string }[] };
type Dmmf = { datamodel: { enums: { name: string; values: { name: string }[] }[]; models: DmmfModel[]; indexes: DmmfIndex[] } };

export type ColumnShape = { table: string; column: string; sqlType: string; nullable: boolean; default: string | null };
export type IndexShape = { table: string; name: string; columns: string[]; unique: boolean; primary: boolean };
export type ForeignKeyShape = { table: string; name: string; columns: string[]; refTable: string; refColumns: string[]; onDelete: string; onUpdate: string };
export type SchemaShape = {
  enums: { name: string; values: string[] }[];
  tables: string[];
  columns: ColumnShape[];
  indexes: IndexShape[];
  foreignKeys: ForeignKeyShape[];
};

const schemaPath = path.join(path.dirname(fileURLToPath(import.meta.url)), 'schema.prisma');

const SQL_TYPES: Record<string, string> = {
  String: 'TEXT',
  Int: 'INTEGER',
  BigInt: 'BIGINT',
  Float: 'DOUBLE PRECISION',
  Boolean: 'BOOLEAN',
  DateTime: 'TIMESTAMP(3)',
  Json: 'JSONB',
  Bytes: 'BYTEA',
  Decimal: 'DECIMAL(65,30)',
};

const REFERENTIAL: Record<string, string> = {
  Cascade: 'CASCADE',
  SetNull: 'SET NULL',
  Restrict: 'RESTRICT',
  NoAction: 'NO ACTION',
  SetDefault: 'SET DEFAULT',
};

export function readDmmf(source = readFileSync(schemaPath, 'utf8')): Dmmf {
  return JSON.parse(get_dmmf(JSON.stringify({ prismaSchema: [['schema.prisma', source]] }))) as Dmmf;
}

function sqlDefault(field: DmmfField): string | null {
  if (!field.hasDefaultValue || field.default === undefined) return null;
  const d = field.default;
  if (typeof d === 'object' && d !== null && !Array.isArray(d)) {
    const fn = (d as { name: string }).name;
    if (fn === 'now') return 'CURRENT_TIMESTAMP';
    if (fn === 'autoincrement') return 'nextval';
    return null; // cuid(), uuid(): made by the client, no SQL default
  }
  if (Array.isArray(d)) {
    if (d.length === 0) return `ARRAY[]::${SQL_TYPES[field.type] ?? `"${field.type}"`}[]`;
    throw new Error(`non-empty list default on ${field.name} is not supported`);
  }
  if (typeof d === 'string') return `'${d.replace(/'/g, "''")}'`;
  return String(d); // numbers and booleans
}

export function schemaShape(dmmf: Dmmf = readDmmf()): SchemaShape {
  const { enums, models, indexes } = dmmf.datamodel;
  const tableOf = new Map(models.map((m) => [m.name, m.dbName ?? m.name]));
  const columnOf = (model: string, field: string) => {
    const f = models.find((m) => m.name === model)?.fields.find((x) => x.name === field);
    return f?.dbName ?? field;
  };

  const columns: ColumnShape[] = [];
  for (const m of models) {
    for (const f of m.fields) {
      if (f.kind === 'object') continue;
      const base = f.kind === 'enum' ? `"${f.type}"` : SQL_TYPES[f.type];
      if (!base) throw new Error(`no SQL type for ${m.name}.${f.name}: ${f.type}`);
      columns.push({
        table: tableOf.get(m.name)!,
        column: f.dbName ?? f.name,
        sqlType: f.isList ? `${base}[]` : base,
        nullable: !f.isRequired,
        default: sqlDefault(f),
      });
    }
  }

  const shapedIndexes: IndexShape[] = indexes
    .filter((i) => i.type !== 'fulltext')
    .map((i) => {
      const table = tableOf.get(i.model)!;
      const cols = i.fields.map((f) => columnOf(i.model, f.name));
      const suffix = i.type === 'id' ? 'pkey' : i.type === 'unique' ? 'key' : 'idx';
      const name = i.dbName ?? (i.type === 'id' ? `${table}_pkey` : `${table}_${cols.join('_')}_${suffix}`);
      return { table, name, columns: cols, unique: i.type !== 'normal', primary: i.type === 'id' };
    });

  const foreignKeys: ForeignKeyShape[] = [];
  for (const m of models) {
    for (const f of m.fields) {
      if (f.kind !== 'object' || !f.relationFromFields?.length) continue;
      const table = tableOf.get(m.name)!;
      const cols = f.relationFromFields.map((c) => columnOf(m.name, c));
      const required = f.relationFromFields.every((c) => m.fields.find((x) => x.name === c)?.isRequired);
      foreignKeys.push({
        table,
        name: `${table}_${cols.join('_')}_fkey`,
        columns: cols,
        refTable: tableOf.get(f.type)!,
        refColumns: (f.relationToFields ?? []).map((c) => columnOf(f.type, c)),
        onDelete: REFERENTIAL[f.relationOnDelete ?? (required ? 'Restrict' : 'SetNull')],
        onUpdate: REFERENTIAL[f.relationOnUpdate ?? 'Cascade'],
      });
    }
  }

  return {
    enums: enums.map((e) => ({ name: e.name, values: e.values.map((v) => v.name) })),
    tables: models.map((m) => tableOf.get(m.name)!),
    columns,
    indexes: shapedIndexes,
    foreignKeys,
  };
}

const q = (ids: string[]) => ids.map((c) => `"${c}"`).join(', ');

/** The CREATE script for the whole schema, in the layout `prisma migrate` writes. */
export function createSql(shape: SchemaShape = schemaShape()): string {
  const out: string[] = [];
  for (const e of shape.enums) {
    out.push(`-- CreateEnum\nCREATE TYPE "${e.name}" AS ENUM (${e.values.map((v) => `'${v}'`).join(', ')});\n`);
  }
  for (const table of shape.tables) {
    const cols = shape.columns
      .filter((c) => c.table === table)
      .map((c) => `    "${c.column}" ${c.sqlType}${c.nullable ? '' : ' NOT NULL'}${c.default ? ` DEFAULT ${c.default}` : ''}`);
    const pk = shape.indexes.find((i) => i.table === table && i.primary);
    if (pk) cols.push(`    CONSTRAINT "${pk.name}" PRIMARY KEY (${q(pk.columns)})`);
    out.push(`-- CreateTable\nCREATE TABLE "${table}" (\n${cols.join(',\n')}\n);\n`);
  }
  for (const i of shape.indexes.filter((x) => !x.primary)) {
    out.push(`-- CreateIndex\nCREATE ${i.unique ? 'UNIQUE ' : ''}INDEX "${i.name}" ON "${i.table}"(${q(i.columns)});\n`);
  }
  for (const fk of shape.foreignKeys) {
    out.push(
      `-- AddForeignKey\nALTER TABLE "${fk.table}" ADD CONSTRAINT "${fk.name}" FOREIGN KEY (${q(fk.columns)}) ` +
        `REFERENCES "${fk.refTable}"(${q(fk.refColumns)}) ON DELETE ${fk.onDelete} ON UPDATE ${fk.onUpdate};\n`,
    );
  }
  return out.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  process.stdout.write(createSql());
}
