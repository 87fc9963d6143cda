// R-CLK-6 through the API and the database: random histories posted in random order and batch
// sizes give the same sla as the same events posted one by one in time order.
import t from 'tap'
import fc from 'fast-check'
import { formatInstant } from '../../src/core/index.js'
import { build, standardContract, withKeys } from '../helpers/app.js'
import { eventsOf, historyArb } from '../core/sla/histories.js'

t.test('posting order does not change the sla', async (t) => {
  const { call } = await build(t)
  const { keys, leverancierId } = await withKeys(call)
  const contract = await standardContract(call, leverancierId)
  let n = 0
  const samples = fc.sample(fc.tuple(historyArb, fc.func(fc.integer()), fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 20, maxLength: 20 })), { numRuns: 40, seed: 20261129 })
  for (const [h, rank, batchSizes] of samples) {
    const events = eventsOf(h).map((e) => ({
      type: e.type, op: formatInstant(e.op), kenmerk: e.id,
      ...(e.status === undefined ? {} : { status: e.status }), ...(e.sluitreden === undefined ? {} : { sluitreden: e.sluitreden }),
      ...(e.prioriteit === undefined ? {} : { prioriteit: e.prioriteit }),
      ...(e.type === 'prioriteit' || e.type === 'prioriteit-betwist' || e.type === 'opmerking' ? { toelichting: 'waarom' } : {})
    }))
    const ids: string[] = []
    for (const variant of ['time-order', 'shuffled']) {
      const m = await call(keys.beheerder, { method: 'POST', url: '/api/v1/meldingen', payload: { contract, kenmerk: `P-${++n}-${variant}`, onderwerp: 'p', type: h.type, omgeving: h.omgeving, prioriteit: h.prioriteit, gemeldOp: formatInstant(h.gemeldOp) } })
      ids.push(m.data.id)
      const list = variant === 'time-order' ? [...events].sort((a, b) => a.op.localeCompare(b.op)) : [...events].sort((a, b) => rank(a.kenmerk) - rank(b.kenmerk))
      let i = 0
      let k = 0
      while (i < list.length) {
        const size = variant === 'time-order' ? 1 : (batchSizes[k++ % batchSizes.length] as number)
        const r = await call(keys.beheerder, { method: 'POST', url: `/api/v1/meldingen/${m.data.id}/gebeurtenissen`, payload: list.slice(i, i + size) })
        if (r.statusCode >= 400) throw new Error(`${r.statusCode} ${r.body}`)
        i += size
      }
      // a repeat of a whole batch changes nothing
      if (variant === 'shuffled' && list.length > 0) await call(keys.beheerder, { method: 'POST', url: `/api/v1/meldingen/${m.data.id}/gebeurtenissen`, payload: list.slice(0, 3) })
    }
    for (const days of [0, 1, 3, 8, 21]) {
      const peil = formatInstant(h.gemeldOp + days * 86_400_000)
      const [a, b] = await Promise.all(ids.map(async (id) => (await call(keys.lezer, { method: 'GET', url: `/api/v1/meldingen/${id}?peilmoment=${peil}` })).data))
      t.same(b.sla, a.sla, `history ${n / 2}, +${days}d`)
      t.same(b.afwijkingen.map((x: { soort: string }) => x.soort), a.afwijkingen.map((x: { soort: string }) => x.soort))
      t.equal(b.status, a.status)
      t.equal(b.prioriteit, a.prioriteit)
    }
  }
})
