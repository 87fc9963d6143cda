import fc from 'fast-check'
import t from 'tap'
import { slaCalendar, slaCalendarZonderFeestdagen } from '../../../src/adapters/holidays/sla-calendars.js'
import { BRON_MARGE, STANDAARD_NORMEN, vergelijkBron, type BronClaim, type BronContext } from '../../../src/core/index.js'
import { at, ev, sla } from './helpers.js'

/**
 * The comparison of a tool's deadlines with ours (issue 12, item 5), against a reference written
 * out: the latest claim by the tool's time counts whatever the order of the claims; afwijkend
 * exactly when more than a minute apart; verschil is the tool's minus ours.
 */

const bronCtx: BronContext = { normen: STANDAARD_NORMEN, calendar: slaCalendar('kantooruren'), zonderFeestdagen: slaCalendarZonderFeestdagen('kantooruren') }
const gemeldOp = at('2026-03-10T09:30:00+01:00')
const state = sla({ gemeldOp, gebeurtenissen: [ev('reactie', '2026-03-10T09:40:00+01:00')] }, '2026-03-10T12:00:00+01:00')
const eigen = { reactie: state.reactie.deadline as number, functieherstel: state.functieherstel.deadline as number }

t.test('worked example: E1 against a tool that agrees, is 61 s later, counts 24/7', async (t) => {
  const claim = (klok: BronClaim['klok'], deadline: number, bronOp = gemeldOp): BronClaim => ({ klok, deadline, norm: null, bronOp })
  t.same(eigen, { reactie: at('2026-03-10T10:30:00+01:00'), functieherstel: at('2026-03-12T09:30:00+01:00') })
  const [r, f] = vergelijkBron([claim('reactie', eigen.reactie + 60_000), claim('functieherstel', eigen.functieherstel + 61_000)], state, gemeldOp, bronCtx)
  t.same([r?.afwijkend, r?.verschil, f?.afwijkend, f?.verschil, f?.reden], [false, 60_000, true, 61_000, null], 'a minute is agreement, a minute and a second is not')
  const [x] = vergelijkBron([claim('functieherstel', gemeldOp + 20 * 3_600_000)], state, gemeldOp, bronCtx)
  t.same([x?.klok, x?.reden], ['functieherstel', 'klok-loopt-altijd'])
})

t.test('property: the latest claim counts in any order; afwijkend iff more than the margin apart', async (t) => {
  const claimArb = fc.record({
    klok: fc.constantFrom('reactie' as const, 'functieherstel' as const),
    offset: fc.integer({ min: -3 * 86_400_000, max: 3 * 86_400_000 }),
    bronOp: fc.integer({ min: 0, max: 10 * 86_400_000 }),
    norm: fc.option(fc.integer({ min: 0, max: 100 * 3_600_000 }))
  })
  let afwijkend = 0
  await fc.assert(fc.property(fc.array(claimArb, { minLength: 1, maxLength: 8 }), fc.infiniteStream(fc.nat()), (raw, rnd) => {
    const claims: BronClaim[] = raw.map((c) => ({ klok: c.klok, deadline: eigen[c.klok] + c.offset, norm: c.norm, bronOp: gemeldOp + c.bronOp }))
    const shuffled = [...claims].sort(() => (rnd.next().value % 3) - 1)
    const out = vergelijkBron(shuffled, state, gemeldOp, bronCtx)
    t.same(out, vergelijkBron(claims, state, gemeldOp, bronCtx))
    for (const klok of ['reactie', 'functieherstel'] as const) {
      // Reference: the claim with the greatest bronOp (ties: the latest deadline), by a plain sort.
      const mine = claims.filter((c) => c.klok === klok).sort((a, b) => b.bronOp - a.bronOp || b.deadline - a.deadline)[0]
      const got = out.find((o) => o.klok === klok)
      if (mine === undefined) { if (got !== undefined) return false; continue }
      if (got === undefined || got.bron !== mine.deadline || got.verschil !== mine.deadline - eigen[klok]) return false
      if (got.afwijkend !== (Math.abs(mine.deadline - eigen[klok]) > BRON_MARGE)) return false
      if (!got.afwijkend && got.reden !== null) return false
      if (got.afwijkend) afwijkend++
    }
    return true
  }), { numRuns: 300, seed: 20261130 })
  t.ok(afwijkend > 100, `most comparisons disagreed (${afwijkend})`)
})
