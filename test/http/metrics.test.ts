// Issue 16: /metrics in Prometheus form, for a beheerder or monitor key only: HTTP per route,
// database connections, the closing job, the koppelingen's inbox, open meldingen per priority and
// their clocks; each figure checked against what the API itself shows.
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { migrationCount } from '../../src/bootstrap.js'
import { build, standardContract, withKeys } from '../helpers/app.js'
import { DB_KIND } from '../helpers/database.js'
import { deliver, koppeling, sign } from '../helpers/koppelingen.js'

type Samples = Map<string, number>

/** Prometheus text format → `name{a="x",b="y"}` (labels sorted) → value. */
function parse (text: string): Samples {
  const out: Samples = new Map()
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line)
    if (m === null) throw new Error(`not a sample line: ${line}`)
    const labels = [...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => `${l[1]}="${l[2]}"`).sort()
    out.set(`${m[1]}{${labels.join(',')}}`, Number(m[3]))
  }
  return out
}
const key = (name: string, labels: Record<string, string> = {}): string =>
  `${name}{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).sort().join(',')}}`

t.test('/metrics', async (t) => {
  const { call, handle } = await build(t)
  const { keys, leverancierId } = await withKeys(call)
  const contract = await standardContract(call, leverancierId)
  const scrape = async (k: string = keys.monitor): Promise<Samples> => {
    const r = await call(k, { method: 'GET', url: '/metrics' })
    t.equal(r.statusCode, 200, 'scraped')
    t.match(r.headers['content-type'], /^text\/plain; version=0\.0\.4/)
    return parse(r.body)
  }

  t.test('only a beheerder or monitor key may read it', async (t) => {
    t.equal((await call(null, { method: 'GET', url: '/metrics' })).statusCode, 401)
    t.equal((await call(keys.lezer, { method: 'GET', url: '/metrics' })).statusCode, 403)
    t.equal((await call(keys.leverancier, { method: 'GET', url: '/metrics' })).statusCode, 403)
    t.equal((await call(keys.beheerder, { method: 'GET', url: '/metrics' })).statusCode, 200)
    t.equal((await call(keys.monitor, { method: 'GET', url: '/metrics' })).statusCode, 200)
  })

  t.test('HTTP answers per method, route template and status, and their durations', async (t) => {
    const before = await scrape()
    const route = key('sla_http_requests_total', { method: 'GET', route: '/api/v1/contracten/:id', status: '200' })
    const notFound = key('sla_http_requests_total', { method: 'GET', route: '/api/v1/contracten/:id', status: '404' })
    const unmatched = key('sla_http_requests_total', { method: 'GET', route: 'unmatched', status: '404' })
    for (let i = 0; i < 3; i++) t.equal((await call(keys.lezer, { method: 'GET', url: `/api/v1/contracten/${contract}` })).statusCode, 200)
    t.equal((await call(keys.lezer, { method: 'GET', url: '/api/v1/contracten/0a6c9a3e-1d2b-4c5d-8e9f-0123456789ab' })).statusCode, 404)
    t.equal((await call(keys.lezer, { method: 'GET', url: '/bestaat-niet' })).statusCode, 404)
    const after = await scrape()
    t.equal((after.get(route) ?? 0) - (before.get(route) ?? 0), 3, 'three 200s of one route, counted under its template, not its id')
    t.equal((after.get(notFound) ?? 0) - (before.get(notFound) ?? 0), 1, 'the 404 of that route')
    t.equal((after.get(unmatched) ?? 0) - (before.get(unmatched) ?? 0), 1, 'an unknown path as "unmatched", so ids and junk never become labels')
    const count = key('sla_http_request_duration_seconds_count', { method: 'GET', route: '/api/v1/contracten/:id' })
    t.equal((after.get(count) ?? 0) - (before.get(count) ?? 0), 4, 'each has a duration')
    const inf = key('sla_http_request_duration_seconds_bucket', { method: 'GET', route: '/api/v1/contracten/:id', le: '+Inf' })
    t.equal(after.get(inf), after.get(count), 'the +Inf bucket holds all')
    t.ok([...after.keys()].some((k) => k.startsWith('nodejs_eventloop_lag_seconds')), 'and Node\'s own metrics (event loop, heap, GC)')
  })

  t.test('database connections', async (t) => {
    const s = await scrape()
    t.equal(s.get('sla_db_pool_max{}'), DB_KIND === 'pglite' ? 1 : 10, `${DB_KIND}: its connection limit`)
    t.ok((s.get('sla_db_pool_open{}') ?? -1) >= 1, 'an open connection')
    t.equal(s.get('sla_db_pool_waiting{}'), 0, 'nobody waiting while idle')
    t.ok((s.get('sla_db_pool_in_use{}') ?? -1) >= 0)
  })

  t.test('open meldingen per priority and their clocks, as the API shows them', async (t) => {
    const prios = [1, 2, 2, 3, 4, 4, 4]
    for (const [i, p] of prios.entries()) {
      const r = await call(keys.leverancier, { method: 'POST', url: '/api/v1/meldingen', payload: { contract, kenmerk: `MET-${i}`, onderwerp: 'x', type: 'verstoring', prioriteit: p, gemeldOp: `2026-12-01T0${i}:00:00+01:00` } })
      t.equal(r.statusCode, 201)
    }
    const done = await call(keys.leverancier, { method: 'POST', url: '/api/v1/meldingen', payload: { contract, kenmerk: 'MET-klaar', onderwerp: 'x', type: 'verstoring', prioriteit: 3, gemeldOp: '2026-11-30T09:00:00+01:00' } })
    await call(keys.leverancier, { method: 'POST', url: `/api/v1/meldingen/${done.data.id}/gebeurtenissen`, payload: { type: 'status', status: 'opgelost', op: '2026-11-30T10:00:00+01:00' } })
    const s = await scrape()
    // The reference: the API's own list of open meldingen and their sla blocks at the same "now".
    const list = (await call(keys.lezer, { method: 'GET', url: '/api/v1/meldingen?actief=true&pageSize=500' })).data.resultaten as Array<{ prioriteit: number, sla: Record<'reactie' | 'functieherstel', { status: string, risico: boolean }> }>
    t.equal(list.length, prios.length, 'the solved one is not open')
    for (const p of [1, 2, 3, 4]) {
      t.equal(s.get(key('sla_meldingen_open', { prioriteit: String(p) })), list.filter((m) => m.prioriteit === p).length, `prio ${p} open`)
      for (const klok of ['reactie', 'functieherstel'] as const) {
        const mine = list.filter((m) => m.prioriteit === p)
        t.equal(s.get(key('sla_klokken_risico', { klok, prioriteit: String(p) })), mine.filter((m) => m.sla[klok].risico).length, `prio ${p} ${klok} at risk`)
        for (const status of new Set(mine.map((m) => m.sla[klok].status))) {
          t.equal(s.get(key('sla_klokken', { klok, prioriteit: String(p), status })), mine.filter((m) => m.sla[klok].status === status).length, `prio ${p} ${klok} ${status}`)
        }
      }
    }
    t.ok([...s.entries()].some(([k, v]) => k.startsWith('sla_klokken_risico') && v > 0) || list.every((m) => !m.sla.reactie.risico && !m.sla.functieherstel.risico), 'risk is reported where there is any')
  })

  t.test('the koppelingen\'s inbox per tool and result', async (t) => {
    const k = await koppeling(call, contract, 'topdesk')
    const incident = (mod: string, prio: string): string => JSON.stringify({
      id: '6b0e2a8e-6f7a-4c2e-9d1b-00000000a001', number: 'M 1', briefDescription: 'Printen faalt', callDate: '2026-11-30T08:00:00.000+0000',
      modificationDate: mod, priority: { id: 'b1c2', name: prio }, responded: false, responseDate: null,
      onHold: false, onHoldDate: null, completed: false, completedDate: null, closed: false, closedDate: null
    })
    const ok = incident('2026-11-30T08:00:00.000+0000', 'P2 Hoog')
    t.equal((await deliver(call, k.id, ok, sign.topdesk(k.geheim))).statusCode < 300, true, 'processed')
    t.equal((await deliver(call, k.id, ok, sign.topdesk(k.geheim))).statusCode < 300, true, 'the same delivery again: dubbel')
    await deliver(call, k.id, incident('2026-11-30T08:05:00.000+0000', 'Onbekend'), sign.topdesk(k.geheim))
    const rows = await handle.db.selectFrom('bericht').select(['resultaat']).where('koppeling_id', '=', k.id).execute()
    const s = await scrape()
    for (const resultaat of ['verwerkt', 'dubbel', 'fout']) {
      t.equal(s.get(key('sla_koppeling_berichten', { bron: 'topdesk', resultaat })) ?? 0, rows.filter((r) => r.resultaat === resultaat).length, `topdesk ${resultaat}`)
    }
    t.ok(rows.length >= 2, `${rows.length} messages stored`)
    t.equal(s.get(key('sla_koppelingen', { bron: 'topdesk' })), 1)
    t.ok((s.get(key('sla_koppeling_laatste_bericht_timestamp_seconds', { bron: 'topdesk' })) ?? 0) > 1.7e9, 'when the last one came')
  })

  t.test('the closing job: last run, its duration and the meldingen it closed', async (t) => {
    const m = await call(keys.leverancier, { method: 'POST', url: '/api/v1/meldingen', payload: { contract, kenmerk: 'JOB-1', onderwerp: 'x', type: 'verstoring', prioriteit: 3, gemeldOp: '2026-12-18T09:00:00+01:00' } })
    await call(keys.leverancier, { method: 'POST', url: `/api/v1/meldingen/${m.data.id}/gebeurtenissen`, payload: { type: 'status', status: 'opgelost', op: '2026-12-21T10:00:00+01:00' } })
    // A second instance on the same database, with the job on and "now" after the closing instant.
    const withJob = await buildApp({ config: { corsOrigins: [], publicUrl: 'https://localhost/api/v1' }, database: handle, migrationCount: migrationCount(), clock: () => Date.parse('2027-01-20T12:00:00Z'), jobsIntervalMs: 3_600_000 })
    t.teardown(() => withJob.close())
    const before = Date.now() / 1000
    await withJob.ready()
    let s: Samples = new Map()
    for (let i = 0; i < 100; i++) {
      s = parse((await withJob.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${keys.beheerder}` } })).body)
      if ((s.get(key('sla_job_runs_total', { job_name: 'auto-close', result: 'ok' })) ?? 0) >= 1) break
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    t.equal(s.get(key('sla_job_runs_total', { job_name: 'auto-close', result: 'ok' })), 1, 'one run at start')
    // Due by then: JOB-1 and the melding solved in the test above (MET-klaar); nothing closed before.
    const closings = await handle.db.selectFrom('gebeurtenis').select('melding_id').where('sluitreden', '=', 'geen-reactie').execute()
    t.equal(closings.length, 2, 'the job closed the two meldingen due')
    t.equal(s.get(key('sla_job_last_items', { job_name: 'auto-close' })), closings.length, 'and says so')
    t.equal(s.get(key('sla_job_items_total', { job_name: 'auto-close' })), closings.length)
    const last = s.get(key('sla_job_last_run_timestamp_seconds', { job_name: 'auto-close' })) ?? 0
    t.ok(last >= before - 1 && last <= Date.now() / 1000 + 1, 'its start, in real time')
    t.ok((s.get(key('sla_job_last_duration_seconds', { job_name: 'auto-close' })) ?? -1) >= 0, 'and its duration')
    const closed = await call(keys.lezer, { method: 'GET', url: `/api/v1/meldingen/${m.data.id}/gebeurtenissen` })
    t.ok(closed.data.resultaten.some((e: { sluitreden: string | null }) => e.sluitreden === 'geen-reactie'), 'and the melding is really closed')
  })
})

t.test('the Grafana dashboard (docs/grafana) asks only for metrics that /metrics gives, with their labels', async (t) => {
  const { readFile } = await import('node:fs/promises')
  const dash = JSON.parse(await readFile(new URL('../../docs/grafana/sla-monitor-dashboard.json', import.meta.url), 'utf8'))
  const exprs: string[] = dash.panels.flatMap((p: { targets?: Array<{ expr: string }> }) => (p.targets ?? []).map((x) => x.expr))
  t.ok(exprs.length >= 15, `${exprs.length} queries`)
  const { app } = await build(t)
  await app.inject({ method: 'GET', url: '/metrics' })   // unauthorised, but it registers nothing new: the metrics exist from the start
  for (const e of exprs) {
    for (const m of e.matchAll(/\b((?:sla|nodejs)_\w+?)(?:_bucket|_count|_sum)?\b(?:\{([^}]*)\})?(?=\W|$)/g)) {
      const name = m[1] as string
      const metric = app.metrics.registry.getSingleMetric(name) as unknown as { labelNames?: string[] } | undefined
      t.ok(metric !== undefined, `${name} exists`)
      if (metric === undefined) continue
      for (const l of (m[2] ?? '').matchAll(/(\w+)\s*=~?"/g)) {
        if (l[1] === 'instance') continue   // added by Prometheus
        t.ok((metric.labelNames ?? []).includes(l[1] as string) || (l[1] === 'le' && name.endsWith('_seconds')), `${name} has label ${l[1]}`)
      }
    }
  }
})
