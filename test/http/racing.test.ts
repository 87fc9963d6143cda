// Racing writes to one melding (issue 11): events, batches of events, priority changes and the
// closing job (R-SLU-2) arrive at the same moment; afterwards the stored derived columns
// (status, prioriteit, actief, automatisch_sluiten_op) equal a recomputation from the events,
// and so do the `?status=` filter, /actieve-verstoringen and the closing job. On PostgreSQL the
// two writes of each pair go to two app instances on two pools of one database; on embedded
// PGlite (one process, one connection) both go to the one instance, concurrently.
// RACING_PAIRS sets the number of meldingen raced on (default 300 on PostgreSQL, 100 on PGlite,
// where nothing runs in parallel); RACING_INSTANCES=1 races through one instance on PostgreSQL too.
import t from 'tap'
import type { Kysely } from 'kysely'
import { openDatabase } from '../../src/adapters/db/database.js'
import type { Database, MeldingRow } from '../../src/adapters/db/schema.js'
import { closeDue, viewsOf } from '../../src/services/meldingen.js'
import { build, standardContract, withKeys, type TestApp } from '../helpers/app.js'
import { DB_KIND, freshDatabase } from '../helpers/database.js'

const PAIRS = Number(process.env.RACING_PAIRS ?? (DB_KIND === 'postgres' ? 300 : 100))
const INSTANCES = DB_KIND === 'postgres' ? Number(process.env.RACING_INSTANCES ?? 2) : 1
// Before the automatischSluitenOp of the meldingen resolved in the race (9 November + 10
// werkdagen), after that of the ones resolved in October: the closing job during the race closes
// only those.
const NOW = Date.parse('2026-11-20T12:00:00Z')
const clock = (): number => NOW
/** Past every automatischSluitenOp of the meldingen below (resolved in October and November, + 10 werkdagen). */
const LATER = Date.parse('2027-01-15T12:00:00Z')

interface Derived { status: string, prioriteit: number, actief: boolean, automatischSluitenOp: number | null }

/**
 * What the events say, by the core's computation (as the single-melding GET does), at `peil`:
 * the writers derive the columns as of their clock, or the last event when that lies later.
 */
async function recomputed (db: Kysely<Database>, contract: string, peil: number): Promise<Map<string, { row: MeldingRow, want: Derived }>> {
  const rows = await db.selectFrom('melding').selectAll().where('contract_id', '=', contract).execute()
  const views = await viewsOf(db, rows, peil, peil)
  return new Map(views.map((v) => [v.row.id, {
    row: v.row,
    want: {
      status: v.state.status,
      prioriteit: v.state.prioriteit,
      actief: v.state.status !== 'opgelost' && v.state.status !== 'gesloten',
      automatischSluitenOp: v.state.automatischSluitenOp
    }
  }]))
}

const storedOf = (r: MeldingRow): Derived => ({ status: r.status, prioriteit: r.prioriteit, actief: r.actief, automatischSluitenOp: r.automatisch_sluiten_op?.getTime() ?? null })

/** Meldingen whose stored derived columns differ from the recomputation. */
function staleOf (all: Map<string, { row: MeldingRow, want: Derived }>): Array<{ kenmerk: string, race: string, stored: Derived, want: Derived }> {
  return [...all.values()].filter(({ row, want }) => JSON.stringify(storedOf(row)) !== JSON.stringify(want))
    .map(({ row, want }) => ({ kenmerk: row.kenmerk, race: row.onderwerp, stored: storedOf(row), want }))
}

const sorted = (xs: Iterable<string>): string[] => [...xs].sort()

t.test(`racing writes on ${PAIRS} meldingen leave no stale derived state (${DB_KIND}, ${INSTANCES === 2 ? 'two instances' : 'one instance'})`, async (t) => {
  const { handle, url } = await freshDatabase(t)
  const one = await build(t, { handle, clock })
  let two: TestApp = one
  if (INSTANCES === 2) {
    const second = await openDatabase({ databaseUrl: url, dataDir: '' })
    t.teardown(async () => { await second.close() })
    two = await build(t, { handle: second, clock })
  }
  const { keys, leverancierId } = await withKeys(one.call)
  const contract = await standardContract(one.call, leverancierId)
  const post = async (app: TestApp, id: string, body: unknown): Promise<number> =>
    (await app.call(keys.leverancier, { method: 'POST', url: `/api/v1/meldingen/${id}/gebeurtenissen`, payload: body as object })).statusCode

  // Five kinds of race, by i % 5; A and B are sent at once, each to another instance.
  const kinds = ['status-pair', 'reopen', 'batch', 'priority', 'closing-job'] as const
  const ids: string[] = new Array(PAIRS)
  const setUp = async (i: number): Promise<void> => {
    const kind = kinds[i % 5] as typeof kinds[number]
    const m = await one.call(keys.leverancier, {
      method: 'POST',
      url: '/api/v1/meldingen',
      payload: { contract, kenmerk: `R-${i}`, onderwerp: kind, type: 'verstoring', prioriteit: kind === 'priority' ? 3 : 2, gemeldOp: kind === 'closing-job' ? '2026-10-05T09:00:00+02:00' : '2026-11-09T09:00:00+01:00' }
    })
    if (m.statusCode !== 201) throw new Error(`melding: ${m.statusCode} ${m.body}`)
    ids[i] = m.data.id
    // Resolved before the race, so that the closing job has something to close while events arrive.
    if (kind === 'closing-job') await post(one, m.data.id, { type: 'status', status: 'opgelost', op: '2026-10-05T11:00:00+02:00', kenmerk: 'opgelost' })
  }
  let made = 0
  await Promise.all(Array.from({ length: 8 }, async () => { for (let i = made++; i < PAIRS; i = made++) await setUp(i) }))

  // Each pair is sent at one moment (A to one instance, B to the other), a few pairs at a time,
  // so that the two writes of a pair really meet at the melding's row lock.
  const pair = (id: string, i: number): Array<Promise<number>> => {
    const [a, b] = i % 2 === 0 ? [one, two] : [two, one]
    switch (kinds[i % 5]) {
      case 'status-pair':
        return [post(a, id, { type: 'status', status: 'in-behandeling', op: '2026-11-09T10:00:00+01:00' }),
          post(b, id, { type: 'status', status: 'opgelost', op: '2026-11-09T11:00:00+01:00' })]
      case 'reopen':
        return [post(a, id, { type: 'status', status: 'opgelost', op: '2026-11-09T11:00:00+01:00' }),
          post(b, id, { type: 'status', status: 'in-behandeling', op: '2026-11-10T10:00:00+01:00' })]
      case 'batch':
        return [post(a, id, [{ type: 'voortgang', op: '2026-11-09T10:00:00+01:00' }, { type: 'status', status: 'opgelost', op: '2026-11-09T12:00:00+01:00' }]),
          post(b, id, { type: 'status', status: 'in-behandeling', op: '2026-11-09T10:30:00+01:00' })]
      case 'priority':
        return [post(a, id, { type: 'prioriteit', prioriteit: 2, op: '2026-11-09T10:00:00+01:00', toelichting: 'meer gebruikers geraakt' }),
          post(b, id, { type: 'status', status: 'in-behandeling', op: '2026-11-09T10:30:00+01:00' })]
      default:
        // The closing-job kind: reopened while both instances' closing jobs work through them.
        return [post(a, id, { type: 'status', status: 'in-behandeling', op: '2026-10-06T10:00:00+02:00' })]
    }
  }
  const started = performance.now()
  const statuses: number[] = []
  let next = 0
  const racers = Array.from({ length: 8 }, async () => {
    for (let i = next++; i < ids.length; i = next++) statuses.push(...await Promise.all(pair(ids[i] as string, i)))
  })
  // Both instances' closing jobs, one melding per transaction, amid the events above.
  const jobs = [closeDue(one.handle.db, NOW, 1), closeDue(two.handle.db, NOW, 1)]
  await Promise.all([...racers, ...jobs])
  const raceMs = Math.round(performance.now() - started)
  t.same(statuses.filter((s) => s !== 201), [], `every one of ${statuses.length} racing event posts answered 201`)

  const before = await recomputed(handle.db, contract, NOW)
  const stale = staleOf(before)
  t.comment(`${PAIRS} meldingen raced (${statuses.length} event posts, two closing jobs) in ${raceMs} ms; stale derived rows: ${stale.length}${stale.length === 0 ? '' : ` (${kinds.map((k) => `${k} ${stale.filter((x) => x.race === k).length}`).join(', ')})`}`)
  t.same(stale.slice(0, 5), [], `no melding's stored derived columns differ from its events (${stale.length} of ${before.size} did)`)

  const want = (f: (d: Derived) => boolean): string[] => sorted([...before.entries()].filter(([, v]) => f(v.want)).map(([id]) => id))
  const listed = async (app: TestApp, query: string): Promise<string[]> => {
    const r = await app.call(keys.lezer, { method: 'GET', url: `/api/v1/${query}` })
    if (r.statusCode !== 200) throw new Error(`${query}: ${r.statusCode} ${r.body}`)
    return sorted(r.data.resultaten.map((m: { id: string }) => m.id))
  }
  const page = `contract=${contract}&pageSize=500`
  for (const status of ['opgelost', 'in-behandeling', 'gesloten']) {
    const expected = want((d) => d.status === status)
    t.same(await listed(two, `meldingen?${page}&status=${status}`), expected, `?status=${status} lists the ${expected.length} meldingen whose events say ${status}`)
  }
  const active = want((d) => d.actief)
  t.same(await listed(one, `meldingen?${page}&actief=true`), active, `?actief=true lists the ${active.length} open meldingen`)
  const banner = want((d) => d.actief && d.prioriteit <= 2)
  t.same(await listed(one, 'actieve-verstoringen?pageSize=500'), banner, `/actieve-verstoringen lists the ${banner.length} open prio 1 and 2 meldingen (R-COM-3)`)
  t.ok(banner.length > 0 && banner.length < before.size, 'the race left both open and resolved meldingen (the check can fail)')

  // R-SLU-2: the closing job, run past every automatischSluitenOp, closes exactly the
  // meldingen whose events leave them opgelost; afterwards the stored columns still agree.
  const due = want((d) => d.status === 'opgelost' && d.automatischSluitenOp !== null && d.automatischSluitenOp <= LATER)
  t.ok(due.length > 0, `${due.length} meldingen are due for closing`)
  const closed = await closeDue(handle.db, LATER)
  t.same(sorted(closed), due, 'the closing job closes exactly the resolved meldingen, none left behind')
  const after = await recomputed(handle.db, contract, LATER)
  t.same(staleOf(after).slice(0, 5), [], 'after closing, stored derived columns still equal the events')
  t.same(sorted([...after.entries()].filter(([, v]) => v.row.status === 'gesloten' && before.get(v.row.id)?.want.status === 'opgelost').map(([id]) => id)), due, 'each is stored gesloten')
})
