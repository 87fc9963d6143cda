// Issue 16 (README, Running it for real): instances that start together on one database run each
// migration once: Kysely's migrator holds a lock in the database (on PostgreSQL an advisory lock
// in the migration's transaction), so the second waits and then finds nothing left to do.
import t from 'tap'
import { openDatabase } from '../../src/adapters/db/database.js'
import { migrateToLatest } from '../../src/adapters/db/migrations.js'
import { migrationCount } from '../../src/bootstrap.js'
import { DB_KIND, freshDatabase } from '../helpers/database.js'

t.test(`three instances migrating one new database at once run each migration once (${DB_KIND})`, async (t) => {
  const { handle, url } = await freshDatabase(t, { migrate: false })
  // On PostgreSQL each instance has its own pool; the embedded database belongs to one process.
  const others = DB_KIND === 'postgres' ? [await openDatabase({ databaseUrl: url, dataDir: '' }), await openDatabase({ databaseUrl: url, dataDir: '' })] : [handle, handle]
  t.teardown(async () => { for (const o of others) if (o !== handle) await o.close() })
  const results = await Promise.all([handle, ...others].map(async (h) => await migrateToLatest(h.db)))
  const all = results.flat()
  t.equal(all.length, migrationCount(), `${migrationCount()} migrations ran in all`)
  t.equal(new Set(all).size, all.length, 'none twice')
  t.equal(results.filter((r) => r.length > 0).length, 1, 'one instance ran them, the others found nothing to do')
  const rows = await handle.db.selectFrom('schema_migratie' as never).selectAll().execute()
  t.equal(rows.length, migrationCount(), 'and the table lists each once')
})
