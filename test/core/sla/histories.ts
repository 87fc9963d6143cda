import fc from 'fast-check'
import { STATUSES, type Gebeurtenis } from '../../../src/core/index.js'

/** Random histories of a melding for property tests (R-CLK-6). */
const MIN = 60_000
export const historyArb = fc.record({
  gemeldOp: fc.integer({ min: Date.UTC(2026, 0, 1) / MIN, max: Date.UTC(2026, 11, 1) / MIN }).map((m) => m * MIN),
  prioriteit: fc.constantFrom(1, 2, 3, 4) as fc.Arbitrary<1 | 2 | 3 | 4>,
  type: fc.constantFrom('verstoring', 'beveiligingsincident', 'vraag') as fc.Arbitrary<'verstoring' | 'beveiligingsincident' | 'vraag'>,
  omgeving: fc.constantFrom('productie', 'productie', 'test') as fc.Arbitrary<'productie' | 'test'>,
  events: fc.array(fc.record({
    kind: fc.constantFrom('reactie', 'status', 'status', 'status', 'prioriteit', 'voortgang', 'prioriteit-betwist', 'opmerking') as fc.Arbitrary<Gebeurtenis['type']>,
    offset: fc.integer({ min: -120, max: 20 * 24 * 60 }),
    status: fc.constantFrom(...STATUSES),
    prioriteit: fc.constantFrom(1, 2, 3, 4) as fc.Arbitrary<1 | 2 | 3 | 4>
  }), { maxLength: 14 })
})

export type History = typeof historyArb extends fc.Arbitrary<infer H> ? H : never

export function eventsOf (h: History): Gebeurtenis[] {
  return h.events.map((e, i) => ({
    id: `e${String(i).padStart(2, '0')}`,
    type: e.kind,
    op: h.gemeldOp + e.offset * MIN,
    ...(e.kind === 'status' ? { status: e.status, ...(e.status === 'gesloten' ? { sluitreden: 'oplossing-geaccepteerd' as const } : {}) } : {}),
    ...(e.kind === 'prioriteit' ? { prioriteit: e.prioriteit } : {})
  }))
}

