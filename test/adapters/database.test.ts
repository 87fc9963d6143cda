import t from 'tap'
import { cpSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { migrateToLatest, MigrationError, MIGRATIONS_DIR, splitSqlStatements } from '../../src/adapters/db/migrations.js'
import { ensureBootstrapKey, findActiveKey } from '../../src/adapters/db/sleutels-repository.js'
import { openDatabase } from '../../src/adapters/db/database.js'
import { DB_KIND, freshDatabase } from '../helpers/database.js'

t.test('splitSqlStatements keeps quoted semicolons and function bodies whole', async (t) => {
  const s = splitSqlStatements(`-- a comment; not a statement
create table a (x text default 'a;b'); /* block; comment */
create function f() returns int language plpgsql as $$ begin return 1; end; $$;
select "we;ird" from a;
select 'it''s; fine'`)
  t.equal(s.length, 4)
  t.match(s[1], /create function f\(\).*end; \$\$$/s)
  t.equal(s[3], 'select \'it\'\'s; fine\'')
})

t.test(`migrations on ${DB_KIND}`, async (t) => {
  const { handle } = await freshDatabase(t, { migrate: false })
  const first = await migrateToLatest(handle.db)
  t.ok(first.length >= 1, 'runs every migration on a new database')
  t.same(await migrateToLatest(handle.db), [], 'and none the second time')

  t.test('a failing migration throws with its name and leaves nothing half-done', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'mig-'))
    t.teardown(() => rmSync(dir, { recursive: true, force: true }))
    cpSync(MIGRATIONS_DIR, dir, { recursive: true })
    writeFileSync(join(dir, '2099-01-01_0000_broken.sql'), 'create table half_done (x int);\nselect * from does_not_exist;')
    const err = await migrateToLatest(handle.db, dir).catch((e: unknown) => e)
    t.ok(err instanceof MigrationError)
    t.match((err as Error).message, /migration 2099-01-01_0000_broken failed: .*does_not_exist/)
    const r = await sql<{ n: string | null }>`select to_regclass('half_done')::text as n`.execute(handle.db)
    t.equal(r.rows[0]?.n, null, 'the transaction rolled back')
  })

  t.test('the bootstrap key is made once, also when instances race', async (t) => {
    const results = await Promise.all(Array.from({ length: 5 }, async () => await ensureBootstrapKey(handle.db, 'race-bootstrap-key-0123456789')))
    t.equal(results.filter(Boolean).length, 1)
    t.equal(await ensureBootstrapKey(handle.db, 'another-bootstrap-key-0123456789'), false)
    t.match(await findActiveKey(handle.db, 'race-bootstrap-key-0123456789'), { rol: 'beheerder' })
    t.equal(await findActiveKey(handle.db, 'another-bootstrap-key-0123456789'), undefined)
  })

  t.test('pg and PGlite return the same shapes for date and int8', async (t) => {
    const r = await sql<{ d: unknown, n: unknown }>`select date '2026-03-10' as d, 12::int8 as n`.execute(handle.db)
    t.same(r.rows[0], { d: '2026-03-10', n: '12' })
  })
})

t.test('embedded PGlite keeps its data in DATA_DIR across restarts', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pgdata-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const a = await openDatabase({ databaseUrl: undefined, dataDir: join(dir, 'data') })
  await migrateToLatest(a.db)
  await ensureBootstrapKey(a.db, 'persisted-bootstrap-key-0123456789')
  await a.close()
  const b = await openDatabase({ databaseUrl: undefined, dataDir: join(dir, 'data') })
  t.teardown(() => b.close())
  t.match(await findActiveKey(b.db, 'persisted-bootstrap-key-0123456789'), { rol: 'beheerder' })
})

t.test('MIGRATIONS_DIR points at the migrations folder', async (t) => {
  t.match(MIGRATIONS_DIR, /migrations$/)
})
