// Catches a schema.prisma that drifts from prisma/migrations: the database that
// lib/data/migrate.ts built for this run must have exactly the tables, columns, types,
// nullability, defaults, indexes and foreign keys that the schema implies, and Prisma Client
// must write and read back a row of every model with every field set.
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { readDmmf, schemaShape } from '../../prisma/schema-sql';
import { createPrisma } from '../../lib/db';
import { migrate } from '../../lib/data/migrate';

const url = process.env.DATABASE_URL!;
const prisma = createPrisma(url, 2);
const dmmf = readDmmf();
const shape = schemaShape(dmmf);

async function query<T extends pg.QueryResultRow>(sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

afterAll(() => prisma.$disconnect());

describe('migrations match schema.prisma', () => {
  it('running the migrations again changes nothing', async () => {
    const again = await migrate(url);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied.length).toBeGreaterThan(0);
    const rows = await query<{ n: string }>(`SELECT count(*) AS n FROM "_prisma_migrations" WHERE finished_at IS NOT NULL`);
    expect(Number(rows[0].n)).toBe(again.alreadyApplied.length);
  });

  it('has every table and no others', async () => {
    const rows = await query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
    );
    expect(rows.map((r) => r.table_name).sort()).toEqual([...shape.tables].sort());
  });

  it('has every enum with its values in order', async () => {
    const rows = await query<{ name: string; values: string[] }>(
      `SELECT t.typname AS name, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS values
         FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`,
    );
    expect(rows.sort((a, b) => a.name.localeCompare(b.name))).toEqual(
      [...shape.enums].sort((a, b) => a.name.localeCompare(b.name)),
    );
  });

  it('has every column with its type, nullability and default', async () => {
    const rows = await query<{ table_name: string; column_name: string; type: string; is_nullable: string; column_default: string | null }>(
      `SELECT c.table_name, c.column_name, c.is_nullable, c.column_default,
              format_type(a.atttypid, a.atttypmod) AS type
         FROM information_schema.columns c
         JOIN pg_attribute a ON a.attrelid = format('%I.%I', c.table_schema, c.table_name)::regclass AND a.attname = c.column_name
        WHERE c.table_schema = 'public' AND c.table_name <> '_prisma_migrations'`,
    );
    const normType = (t: string) =>
      t
        .replace(/^timestamp\(3\) without time zone/, 'TIMESTAMP(3)')
        .replace(/^text/, 'TEXT')
        .replace(/^integer/, 'INTEGER')
        .replace(/^bigint/, 'BIGINT')
        .replace(/^double precision/, 'DOUBLE PRECISION')
        .replace(/^boolean/, 'BOOLEAN')
        .replace(/^jsonb/, 'JSONB')
        .replace(/^bytea/, 'BYTEA');
    const normDefault = (d: string | null) => {
      if (d === null) return null;
      if (d === 'CURRENT_TIMESTAMP') return d;
      if (/^ARRAY\[\]::/.test(d)) return d.replace(/::text\[\]$/, '::TEXT[]');
      const m = /^'(.*)'::[\w"]+$/.exec(d);
      return m ? `'${m[1]}'` : d;
    };
    const actual = rows
      .map((r) => `${r.table_name}.${r.column_name} ${normType(r.type)} ${r.is_nullable === 'YES' ? 'NULL' : 'NOT NULL'} ${normDefault(r.column_default)}`)
      .sort();
    const expected = shape.columns
      .map((c) => `${c.table}.${c.column} ${c.sqlType} ${c.nullable ? 'NULL' : 'NOT NULL'} ${c.default}`)
      .sort();
    expect(actual).toEqual(expected);
  });

  it('has every index and unique constraint, and no others', async () => {
    const rows = await query<{ tablename: string; indexname: string; indexdef: string }>(
      `SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`,
    );
    const actual = rows
      .map((r) => {
        const cols = /\((.*)\)$/.exec(r.indexdef)![1].split(',').map((c) => c.trim().replace(/"/g, ''));
        return `${r.tablename} ${r.indexname} ${/UNIQUE/.test(r.indexdef) ? 'unique' : 'plain'} (${cols.join(',')})`;
      })
      .sort();
    const expected = shape.indexes.map((i) => `${i.table} ${i.name} ${i.unique ? 'unique' : 'plain'} (${i.columns.join(',')})`).sort();
    expect(actual).toEqual(expected);
  });

  it('has every foreign key with its actions', async () => {
    const rows = await query<{ table: string; name: string; def: string }>(
      `SELECT conrelid::regclass::text AS table, conname AS name, pg_get_constraintdef(oid) AS def
         FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace`,
    );
    const actual = rows.map((r) => `${r.table.replace(/"/g, '')} ${r.name} ${r.def.replace(/"/g, '')}`).sort();
    const expected = shape.foreignKeys
      .map((fk) => {
        // pg_get_constraintdef leaves out the defaults (NO ACTION)
        const del = fk.onDelete === 'NO ACTION' ? '' : ` ON DELETE ${fk.onDelete}`;
        const upd = fk.onUpdate === 'NO ACTION' ? '' : ` ON UPDATE ${fk.onUpdate}`;
        return `${fk.table} ${fk.name} FOREIGN KEY (${fk.columns.join(', ')}) REFERENCES ${fk.refTable}(${fk.refColumns.join(', ')})${upd}${del}`;
      })
      .sort();
    expect(actual).toEqual(expected);
  });
});

describe('Prisma Client round trip', () => {
  type Field = (typeof dmmf.datamodel.models)[number]['fields'][number];
  const models = dmmf.datamodel.models;
  const enumValues = new Map(dmmf.datamodel.enums.map((e) => [e.name, e.values.map((v) => v.name)]));
  const delegate = (model: string) => (prisma as unknown as Record<string, any>)[model[0].toLowerCase() + model.slice(1)];
  const fkFields = (model: (typeof models)[number]) => {
    const map = new Map<string, { target: string; required: boolean }>();
    for (const f of model.fields) {
      if (f.kind === 'object' && f.relationFromFields?.length) {
        for (const c of f.relationFromFields) map.set(c, { target: f.type, required: f.isRequired });
      }
    }
    return map;
  };

  function sampleValue(f: Field, model: string): unknown {
    const v = (() => {
      switch (f.kind === 'enum' ? 'enum' : f.type) {
        case 'enum':
          return enumValues.get(f.type)!.at(-1);
        case 'String':
          return `${model}.${f.name} ✓ 'quoted'`;
        case 'Int':
          return 7;
        case 'BigInt':
          return 9007199254740993n;
        case 'Float':
          return 0.25;
        case 'Boolean':
          return true;
        case 'DateTime':
          return new Date('2026-01-02T03:04:05.678Z');
        case 'Json':
          return { nested: [1, 'two', null], ok: true };
        default:
          throw new Error(`no sample for ${model}.${f.name}: ${f.type}`);
      }
    })();
    return f.isList ? [v, v] : v;
  }

  it('creates and reads back a row of every model with every field set', async () => {
    const ids = new Map<string, Record<string, unknown>>(); // model -> its primary key values
    const pending = [...models];
    const created: { model: string; where: Record<string, unknown>; data: Record<string, unknown> }[] = [];
    // Required foreign keys form no cycle: create models once their required targets exist,
    // then fill every optional foreign key in a second pass.
    while (pending.length) {
      const idx = pending.findIndex((m) =>
        [...fkFields(m).values()].every((fk) => !fk.required || fk.target === m.name || ids.has(fk.target)),
      );
      expect(idx, `no creatable model among ${pending.map((m) => m.name).join(', ')}`).toBeGreaterThanOrEqual(0);
      const model = pending.splice(idx, 1)[0];
      const fks = fkFields(model);
      const data: Record<string, unknown> = {};
      for (const f of model.fields) {
        if (f.kind === 'object') continue;
        const fk = fks.get(f.name);
        if (fk) {
          if (fk.required) data[f.name] = ids.get(fk.target)!.id;
          continue;
        }
        data[f.name] = f.isId && f.type === 'String' ? `${model.name.toLowerCase()}-1` : sampleValue(f, model.name);
      }
      const row = await delegate(model.name).create({ data });
      const pkFields = model.primaryKey?.fields ?? model.fields.filter((f) => f.isId).map((f) => f.name);
      const where = model.primaryKey
        ? { [pkFields.join('_')]: Object.fromEntries(pkFields.map((k: string) => [k, row[k]])) }
        : { [pkFields[0]]: row[pkFields[0]] };
      ids.set(model.name, { id: row.id, ...row });
      created.push({ model: model.name, where, data });
    }
    for (const c of created) {
      const model = models.find((m) => m.name === c.model)!;
      const optional: Record<string, unknown> = {};
      for (const [field, fk] of fkFields(model)) if (!fk.required) optional[field] = ids.get(fk.target)!.id;
      if (Object.keys(optional).length) await delegate(c.model).update({ where: c.where, data: optional });
      Object.assign(c.data, optional);
    }
    for (const c of created) {
      const row = await delegate(c.model).findUniqueOrThrow({ where: c.where });
      const updatedAt = new Set(models.find((m) => m.name === c.model)!.fields.filter((f) => f.isUpdatedAt).map((f) => f.name));
      for (const [k, v] of Object.entries(c.data)) {
        if (updatedAt.has(k)) continue; // @updatedAt is rewritten by the update above
        expect(row[k], `${c.model}.${k}`).toEqual(v);
      }
    }
    expect(created.length).toBe(models.length);
  });
});
