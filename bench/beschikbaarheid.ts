// Availability (issue 5): samples/s through HTTP in batches of 1,000 on the embedded database and
// on PostgreSQL (against inserting the same samples as one row each); bytes stored per sample for
// a year of minute samples with 1 % flapping (against one row per sample); time to compute a
// month from a year's data.
import { sql, type Kysely } from 'kysely'
import { buildApp } from '../src/app.js'
import type { Database } from '../src/adapters/db/schema.js'
import { migrationCount, prepareDatabase } from '../src/bootstrap.js'
import { ingest, maand } from '../src/services/beschikbaarheid.js'
import { line, mulberry32, withPgDatabase } from './util.js'

const KEY = 'bench-bootstrap-key-0123456789abcdef'
const MIN = 60_000

async function setup (db: Kysely<Database>): Promise<string> {
  const lev = await sql<{ id: string }>`insert into leverancier (naam) values ('Bench BV') returning id`.execute(db)
  const con = await sql<{ id: string }>`insert into contract (leverancier_id, naam) values (${lev.rows[0]?.id}, 'Bench') returning id`.execute(db)
  await sql`insert into contract_normen (contract_id, versie, geldig_vanaf, normen)
    select ${con.rows[0]?.id}::uuid, 1, date '1970-01-01', ${JSON.stringify({ normen: { perPrioriteit: {}, automatischSluitenNa: 0 }, prestatienorm: 0.85, beschikbaarheidsnorm: 0.98, extraGeslotenDagen: [] })}::jsonb`.execute(db)
  const d = await sql<{ id: string }>`insert into dienst (contract_id, naam, omgeving, meetinterval_ms) values (${con.rows[0]?.id}, 'Bench', 'productie', 60000) returning id`.execute(db)
  return d.rows[0]?.id as string
}

/** A year of minute samples with 1 % flapping: a state change at about every 100th sample. */
function yearOfSamples (): Array<{ op: number, beschikbaar: boolean, responstijdMs: number }> {
  const rnd = mulberry32(2026)
  const out = []
  let up = true
  for (let x = Date.UTC(2025, 0, 1); x < Date.UTC(2026, 0, 1); x += MIN) {
    if (rnd() < 0.01) up = !up
    out.push({ op: x + Math.floor(rnd() * 3) * 1000, beschikbaar: up, responstijdMs: Math.round(80 + rnd() * 400) })
  }
  return out
}

async function httpIngest (label: string, databaseUrl: string): Promise<void> {
  const { handle } = await prepareDatabase({ databaseUrl, dataDir: '', bootstrapKey: KEY })
  try {
    const dienst = await setup(handle.db)
    const app = await buildApp({ config: { corsOrigins: [], publicUrl: 'https://localhost/api/v1' }, database: handle, migrationCount: migrationCount(), clock: Date.now })
    await app.ready()
    const samples = yearOfSamples().slice(0, 100_000)
    const t0 = performance.now()
    for (let i = 0; i < samples.length; i += 1000) {
      const payload = JSON.stringify(samples.slice(i, i + 1000).map((s) => ({ op: new Date(s.op).toISOString(), beschikbaar: s.beschikbaar, responstijdMs: s.responstijdMs })))
      const r = await app.inject({ method: 'POST', url: `/api/v1/diensten/${dienst}/metingen`, headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, payload })
      if (r.statusCode !== 200) throw new Error(`${r.statusCode} ${r.body.slice(0, 200)}`)
    }
    const rate = samples.length / ((performance.now() - t0) / 1000)
    await app.close()
    // Baseline: the same samples as one row each, 1,000 rows per insert statement.
    await sql`create table raw_meting (dienst_id uuid not null, op timestamptz not null, beschikbaar boolean not null, responstijd_ms integer, primary key (dienst_id, op))`.execute(handle.db)
    const t1 = performance.now()
    for (let i = 0; i < samples.length; i += 1000) {
      const chunk = samples.slice(i, i + 1000)
      await sql`insert into raw_meting select ${dienst}::uuid, to_timestamp(x.op / 1000.0), x.b, x.r from unnest(${chunk.map((s) => s.op)}::float8[], ${chunk.map((s) => s.beschikbaar)}::bool[], ${chunk.map((s) => s.responstijdMs)}::int[]) as x(op, b, r)`.execute(handle.db)
    }
    const bare = samples.length / ((performance.now() - t1) / 1000)
    line(`metingen-ingest-http-${label}`, rate, 'samples/s (batches of 1,000 through HTTP, key checked)', rate / bare, `raw row-per-sample inserts ${Math.round(bare)}/s`)
  } finally {
    await handle.close()
  }
}

async function storageAndMonth (databaseUrl: string): Promise<void> {
  const { handle } = await prepareDatabase({ databaseUrl, dataDir: '', bootstrapKey: undefined })
  try {
    const dienst = await setup(handle.db)
    const samples = yearOfSamples()
    for (let i = 0; i < samples.length; i += 10_000) await ingest(handle.db, dienst, samples.slice(i, i + 10_000), { leverancierId: null })
    await sql`create table raw_meting (dienst_id uuid not null, op timestamptz not null, beschikbaar boolean not null, responstijd_ms integer, primary key (dienst_id, op))`.execute(handle.db)
    for (let i = 0; i < samples.length; i += 10_000) {
      const chunk = samples.slice(i, i + 10_000)
      await sql`insert into raw_meting select ${dienst}::uuid, to_timestamp(x.op / 1000.0), x.b, x.r from unnest(${chunk.map((s) => s.op)}::float8[], ${chunk.map((s) => s.beschikbaar)}::bool[], ${chunk.map((s) => s.responstijdMs)}::int[]) as x(op, b, r)`.execute(handle.db)
    }
    await sql`vacuum analyze`.execute(handle.db)
    const size = async (table: string): Promise<number> => Number((await sql<{ n: string }>`select pg_total_relation_size(${table}::regclass)::text as n`.execute(handle.db)).rows[0]?.n)
    const stored = (await size('meetreeks')) + (await size('responstijd_dag'))
    const raw = await size('raw_meting')
    line('metingen-bytes-per-sample-year-1pct-flapping', stored / samples.length, `bytes/sample (${(stored / 1e6).toFixed(2)} MB for ${samples.length} samples; target < 1/20 of raw)`, stored / raw, `raw ${(raw / samples.length).toFixed(1)} bytes/sample`)
    const months = ['2025-01', '2025-06', '2025-10', '2025-12']
    for (const m of months) await maand(handle.db, dienst, m, { leverancierId: null })
    const t0 = performance.now()
    for (let i = 0; i < 5; i++) for (const m of months) await maand(handle.db, dienst, m, { leverancierId: null })
    const ms = (performance.now() - t0) / 20
    const t1 = performance.now()
    for (let i = 0; i < 5; i++) await sql`select count(*), sum(case when beschikbaar then 1 else 0 end) from raw_meting where op >= '2025-06-01' and op < '2025-07-01'`.execute(handle.db)
    const rawMs = (performance.now() - t1) / 5
    line('beschikbaarheid-month-from-a-year', ms, 'ms per month (one dienst, a year of minute samples stored)', ms / rawMs, `counting a month of raw rows ${rawMs.toFixed(1)} ms`)
  } finally {
    await handle.close()
  }
}

export async function benchBeschikbaarheid (): Promise<void> {
  await httpIngest('embedded', 'memory://')
  const pgUrl = process.env.DATABASE_URL
  if (pgUrl !== undefined && pgUrl.startsWith('postgres')) {
    await withPgDatabase(pgUrl, 'sla_bench_bes', async (url) => { await httpIngest('postgres', url) })
    await withPgDatabase(pgUrl, 'sla_bench_bes', async (url) => { await storageAndMonth(url) })
  } else {
    await storageAndMonth('memory://')
  }
}
