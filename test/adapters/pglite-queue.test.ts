import { sql } from 'kysely'
import t from 'tap'
import { openDatabase } from '../../src/adapters/db/database.js'
import { DB_KIND } from '../helpers/database.js'

// Issue 11, embedded database: PGlite runs in this thread and answers its promises at once, so
// requests queued for its one connection used to run back to back as microtasks; no timer fired
// and no request was read or answered until the whole queue was through (stretches of 14 s
// under 200 connections). The queue now hands the connection on through the event loop.
if (DB_KIND === 'pglite') {
  t.test('queued statements on the embedded database let the event loop run between them', async (t) => {
    const handle = await openDatabase({ databaseUrl: 'memory://', dataDir: '', limits: { queueMax: 1_000, queueTimeoutMs: 60_000 } })
    t.teardown(async () => { await handle.close() })
    const N = 200
    let done = 0
    const all = Promise.all(Array.from({ length: N }, async () => { await sql`select 1`.execute(handle.db); done++ }))
    const doneWhenTimerFired = await new Promise<number>((resolve) => setTimeout(() => { resolve(done) }, 0))
    await all
    t.equal(done, N)
    t.ok(doneWhenTimerFired < N / 2, `a timer fired after ${doneWhenTimerFired} of ${N} queued statements, not after all`)
  })
}
