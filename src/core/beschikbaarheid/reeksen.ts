import type { Duration, Instant } from '../time.js'
import type { Meting, Reeks } from './types.js'

const DAY = 86_400_000

/** The UTC day (days since the epoch) of an instant: runs never cross a UTC midnight. */
export const utcDay = (t: Instant): number => Math.floor(t / DAY)

/**
 * Merges new samples into the runs of one UTC day and returns that day's runs anew, with which
 * samples were new. A sample whose instant the day already has is a repeat and changes nothing;
 * two samples at one instant that disagree count as unavailable (whatever their order, and the
 * conservative reading for the gemeente). Runs split where the state changes or where two
 * samples are more than 2 × `interval` apart (R-BES-2).
 */
export function mergeDay (existing: readonly Reeks[], samples: readonly Meting[], interval: Duration): { reeksen: Reeks[], nieuw: Meting[] } {
  const state = new Map<Instant, boolean>()
  for (const r of existing) for (const t of r.tijdstippen) state.set(t, r.beschikbaar)
  const nieuw = new Map<Instant, Meting>()
  for (const s of samples) {
    const known = state.get(s.op)
    if (known === undefined) {
      state.set(s.op, s.beschikbaar)
      nieuw.set(s.op, s)
    } else if (known && !s.beschikbaar) {
      state.set(s.op, false)
      const n = nieuw.get(s.op)
      if (n !== undefined) nieuw.set(s.op, s)
    }
  }
  const instants = [...state.keys()].sort((a, b) => a - b)
  const reeksen: Reeks[] = []
  let current: { beschikbaar: boolean, tijdstippen: Instant[] } | undefined
  let last = -Infinity
  for (const t of instants) {
    const up = state.get(t) as boolean
    if (current === undefined || current.beschikbaar !== up || t - last > 2 * interval) {
      current = { beschikbaar: up, tijdstippen: [] }
      reeksen.push(current)
    }
    current.tijdstippen.push(t)
    last = t
  }
  return { reeksen, nieuw: [...nieuw.values()] }
}
