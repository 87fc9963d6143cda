// Kill -9 drill (issue 11), PostgreSQL only: the real service as a child process takes a burst
// of writes (meldingen, batches of events, racing single events), is killed with SIGKILL in the
// middle of it and started again. Then every write it acknowledged (2xx) is there, every batch is
// there whole or not at all, and no melding is half-written: its stored derived columns equal a
// recomputation from its events. Bounded: the burst lasts ~2 s, each start at most 30 s.
import t from 'tap'
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { createServer } from 'node:net'
import { viewsOf } from '../../src/services/meldingen.js'
import { DB_KIND, freshDatabase } from '../helpers/database.js'

const root = new URL('../..', import.meta.url).pathname
const KEY = 'kill-drill-bootstrap-key-0123456789abcdef'
const MIN = 60_000

async function freePort (): Promise<number> {
  const s = createServer()
  s.listen(0, '127.0.0.1')
  await once(s, 'listening')
  const port = (s.address() as { port: number }).port
  s.close()
  await once(s, 'close')
  return port
}

if (DB_KIND !== 'postgres') {
  // Only registered on PostgreSQL: the embedded database's own kill drill is another matter.
  t.comment('kill -9 drill not run: it needs PostgreSQL (set DATABASE_URL to run it)')
  t.plan(0, 'kill -9 drill needs PostgreSQL (DATABASE_URL)')
} else {
  t.test('kill -9 during a burst of writes: every acknowledged write present, none half-written', async (t) => {
    const { handle, url } = await freshDatabase(t)
    const port = await freePort()
    const base = `http://127.0.0.1:${port}`
    let child: ChildProcess | undefined
    t.teardown(() => { child?.kill('SIGKILL') })
    const start = async (): Promise<number> => {
      const began = performance.now()
      child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
        cwd: root,
        env: { ...process.env, DATABASE_URL: url, PORT: String(port), HOST: '127.0.0.1', SLA_BOOTSTRAP_KEY: KEY, LOG_LEVEL: 'silent' },
        stdio: 'ignore'
      })
      const deadline = Date.now() + 30_000
      while (Date.now() < deadline) {
        try { if ((await fetch(`${base}/health/ready`, { signal: AbortSignal.timeout(1_000) })).ok) return Math.round(performance.now() - began) } catch { /* starting */ }
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      throw new Error('the service did not become ready within 30 s')
    }
    const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }
    /** A write's status, or 0 when no answer came (refused, reset, killed). */
    const send = async (path: string, body: unknown): Promise<number> => {
      try {
        const r = await fetch(`${base}/api/v1${path}`, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(5_000) })
        await r.arrayBuffer()
        return r.status
      } catch { return 0 }
    }

    const firstStart = await start()
    const lev = await fetch(`${base}/api/v1/leveranciers`, { method: 'POST', headers, body: JSON.stringify({ naam: 'Drill BV' }) })
    const con = await fetch(`${base}/api/v1/contracten`, { method: 'POST', headers, body: JSON.stringify({ leverancier: (await lev.json() as { id: string }).id, naam: 'Drill' }) })
    const contract = (await con.json() as { id: string }).id

    // What was acknowledged, and every batch sent (answered or not).
    const ackedMeldingen: string[] = []
    const ackedEvents: Array<{ melding: string, kenmerk: string }> = []
    const batches: Array<{ melding: string, kenmerken: string[] }> = []
    let killed = false
    let failed = 0
    const t0 = Date.now()
    const at = (minutesAgo: number): string => new Date(t0 - minutesAgo * MIN).toISOString()
    const worker = async (w: number): Promise<void> => {
      for (let n = 0; !killed; n++) {
        const kenmerk = `KILL-${w}-${n}`
        const m = await fetch(`${base}/api/v1/meldingen`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ contract, kenmerk, onderwerp: 'drill', type: 'verstoring', prioriteit: 2, gemeldOp: at(180) }),
          signal: AbortSignal.timeout(5_000)
        }).then(async (r) => r.status === 201 ? (await r.json() as { id: string }).id : undefined).catch(() => undefined)
        if (m === undefined) { failed++; continue }
        ackedMeldingen.push(kenmerk)
        batches.push({ melding: m, kenmerken: ['a', 'b'] })
        const b = await send(`/meldingen/${m}/gebeurtenissen`, [
          { type: 'status', status: 'in-behandeling', op: at(120), kenmerk: 'a' },
          { type: 'voortgang', op: at(110), kenmerk: 'b' }
        ])
        if (b === 201) ackedEvents.push({ melding: m, kenmerk: 'a' }, { melding: m, kenmerk: 'b' })
        // Two writes to the one melding at once: opgelost and a priority change.
        const [c, d] = await Promise.all([
          send(`/meldingen/${m}/gebeurtenissen`, { type: 'status', status: 'opgelost', op: at(60), kenmerk: 'c' }),
          send(`/meldingen/${m}/gebeurtenissen`, { type: 'prioriteit', prioriteit: 1, op: at(90), kenmerk: 'd', toelichting: 'drill' })
        ])
        if (c === 201) ackedEvents.push({ melding: m, kenmerk: 'c' })
        if (d === 201) ackedEvents.push({ melding: m, kenmerk: 'd' })
      }
    }
    const workers = Array.from({ length: 12 }, async (_, w) => { await worker(w) })
    await new Promise((resolve) => setTimeout(resolve, 2_000))
    const exited = once(child as ChildProcess, 'exit')
    ;(child as ChildProcess).kill('SIGKILL')
    const [, signal] = await exited
    killed = true
    await Promise.all(workers)
    t.equal(signal, 'SIGKILL', 'the service died by SIGKILL, mid-burst')
    t.ok(ackedMeldingen.length > 0 && ackedEvents.length > 0, `acknowledged before the kill: ${ackedMeldingen.length} meldingen, ${ackedEvents.length} events`)

    const secondStart = await start()
    const rows = await handle.db.selectFrom('melding').selectAll().where('contract_id', '=', contract).execute()
    const events = await handle.db.selectFrom('gebeurtenis').select(['melding_id', 'kenmerk']).execute()
    const present = new Set(events.map((e) => `${e.melding_id}/${e.kenmerk ?? ''}`))
    const kenmerken = new Set(rows.map((r) => r.kenmerk))
    t.same(ackedMeldingen.filter((k) => !kenmerken.has(k)), [], `all ${ackedMeldingen.length} acknowledged meldingen present (${rows.length} stored)`)
    t.same(ackedEvents.filter((e) => !present.has(`${e.melding}/${e.kenmerk}`)), [], `all ${ackedEvents.length} acknowledged events present (${events.length} stored)`)
    const torn = batches.filter((b) => { const n = b.kenmerken.filter((k) => present.has(`${b.melding}/${k}`)).length; return n !== 0 && n !== b.kenmerken.length })
    t.same(torn, [], `each of ${batches.length} batches stored whole or not at all`)

    const views = await viewsOf(handle.db, rows, undefined, Date.now())
    const half = views.filter((v) => v.row.status !== v.state.status || v.row.prioriteit !== v.state.prioriteit ||
      v.row.actief !== (v.state.status !== 'opgelost' && v.state.status !== 'gesloten') ||
      (v.row.automatisch_sluiten_op?.getTime() ?? null) !== v.state.automatischSluitenOp).map((v) => v.row.kenmerk)
    t.same(half, [], `no melding half-written: stored derived columns equal its events for all ${rows.length}`)

    const list = await fetch(`${base}/api/v1/meldingen?contract=${contract}&pageSize=1`, { headers })
    t.equal(list.status, 200, 'the restarted service answers')
    t.equal((await list.json() as { aantal: number }).aantal, rows.length, 'and lists every stored melding')
    t.comment(`kill -9 drill: starts ${firstStart} ms and ${secondStart} ms; acknowledged ${ackedMeldingen.length} meldingen and ${ackedEvents.length} events, ` +
      `${failed} melding writes unanswered; stored ${rows.length} meldingen, ${events.length} events; ${rows.length - ackedMeldingen.length} stored without an answer`)
    const stopped = once(child as ChildProcess, 'exit')
    ;(child as ChildProcess).kill('SIGTERM')
    await stopped
  })
}
