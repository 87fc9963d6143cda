// R-CLK-6: the sla block depends only on the events' own times, never on their arrival order;
// with priority changes, pauses, reopenings, events before gemeldOp and after gesloten.
import t from 'tap'
import fc from 'fast-check'
import { computeSla } from '../../../src/core/index.js'
import { eventsOf, historyArb } from './histories.js'
import { ctx } from './helpers.js'

const MIN = 60_000

t.test('the same sla whatever the order of the events (R-CLK-6)', async (t) => {
  let withPauses = 0
  fc.assert(fc.property(historyArb, fc.integer({ min: 0, max: 25 * 24 * 60 }), fc.func(fc.integer()), (h, peilOffset, rank) => {
    const events = eventsOf(h)
    if (events.some((e) => e.status?.startsWith('wachten') === true)) withPauses++
    const shuffled = [...events].sort((a, b) => rank(a.id) - rank(b.id) || (a.id < b.id ? -1 : 1))
    const feiten = { gemeldOp: h.gemeldOp, type: h.type, omgeving: h.omgeving, gevraagdePrioriteit: h.prioriteit }
    const peil = h.gemeldOp + peilOffset * MIN
    const a = computeSla({ ...feiten, gebeurtenissen: [...events].sort((x, y) => x.op - y.op) }, ctx, peil)
    const b = computeSla({ ...feiten, gebeurtenissen: shuffled }, ctx, peil)
    return JSON.stringify(a) === JSON.stringify(b)
  }), { numRuns: 3_000 })
  t.ok(withPauses > 100, `${withPauses} histories had pauses`)
})
