import fc from 'fast-check'
import type { Sample } from './reference.js'

const MIN = 60_000

/** Random sample streams for property tests. */
export const streamArb = fc.record({
  startMinute: fc.integer({ min: 0, max: 29 * 24 * 60 }),
  parts: fc.array(fc.record({ gap: fc.integer({ min: 1, max: 5 }), down: fc.boolean(), length: fc.integer({ min: 1, max: 200 }) }), { minLength: 1, maxLength: 25 })
})

/** Samples in June 2026 (local), on whole minutes, with gaps of 1–5 minutes and runs of states. */
export function streamOf (s: { startMinute: number, parts: Array<{ gap: number, down: boolean, length: number }> }): Sample[] {
  const out: Sample[] = []
  let tm = Date.parse('2026-05-31T22:00:00Z') + s.startMinute * MIN
  for (const p of s.parts) for (let i = 0; i < p.length; i++) { tm += p.gap * MIN; out.push({ op: tm, beschikbaar: !p.down }) }
  return out
}

