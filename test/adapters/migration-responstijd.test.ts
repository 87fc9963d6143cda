// The responstijd_dag migration sums the hour rows of a database made before it into day rows
// (the same counts, sums and histograms) and drops the hour table; on PGlite and PostgreSQL.
import t from 'tap'
import { copyFileSync, mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { decodeHistogram, encodeHistogram } from '../../src/adapters/db/meting-codec.js'
import { migrateToLatest, MIGRATIONS_DIR } from '../../src/adapters/db/migrations.js'
import { freshDatabase } from '../helpers/database.js'

t.test('hour rows become day rows', async (t) => {
  const { handle } = await freshDatabase(t, { migrate: false })
  const before = mkdtempSync(join(tmpdir(), 'sla-migrations-'))
  for (const f of readdirSync(MIGRATIONS_DIR).filter((f) => f < '2026-11-29_1700')) copyFileSync(join(MIGRATIONS_DIR, f), join(before, f))
  await migrateToLatest(handle.db, before)
  const db = handle.db
  const lev = await sql<{ id: string }>`insert into leverancier (naam) values ('x') returning id`.execute(db)
  const con = await sql<{ id: string }>`insert into contract (leverancier_id, naam) values (${lev.rows[0]?.id}, 'c') returning id`.execute(db)
  const d = await sql<{ id: string }>`insert into dienst (contract_id, naam, omgeving, meetinterval_ms) values (${con.rows[0]?.id}, 'd', 'productie', 60000) returning id`.execute(db)
  const hist = (m: Array<[number, number]>) => Buffer.from(encodeHistogram(new Map(m)))
  const hours: Array<[string, number, number, Array<[number, number]>]> = [
    ['2026-02-10T08:00:00Z', 60, 1200.5, [[10, 50], [12, 10]]],
    ['2026-02-10T20:00:00Z', 30, 900, [[10, 5], [13, 25]]],
    ['2026-02-11T06:00:00Z', 10, 100, [[3, 10]]]
  ]
  for (const [uur, aantal, som, h] of hours) await sql`insert into responstijd_uur values (${d.rows[0]?.id}, ${uur}, ${aantal}, ${som}, ${hist(h)})`.execute(db)

  // Later migrations run after it too; this one must be the first the old database gets.
  t.equal((await migrateToLatest(db))[0], '2026-11-29_1700_responstijd_dag')
  const rows = await sql<{ dag: string, aantal: number, som_ms: number, histogram: Uint8Array }>`select dag::text as dag, aantal, som_ms, histogram from responstijd_dag order by dag`.execute(db)
  t.same(rows.rows.map((r) => [r.dag, Number(r.aantal), Number(r.som_ms), [...decodeHistogram(r.histogram)].sort((a, b) => a[0] - b[0])]), [
    ['2026-02-10', 90, 2100.5, [[10, 55], [12, 10], [13, 25]]],
    ['2026-02-11', 10, 100, [[3, 10]]]
  ])
  t.same((await sql<{ t: string | null }>`select to_regclass('responstijd_uur')::text as t`.execute(db)).rows, [{ t: null }], 'the hour table is gone')
})
