import { CoreError } from '../errors.js'
import type { Instant } from '../time.js'
import type { Interval } from './types.js'

/**
 * Returns the pauses clipped to start no earlier than `from`, without empty ones, sorted and
 * with overlapping or touching pauses merged. The input is not mutated.
 *
 * @throws CoreError `invalid-interval` when a pause ends before it starts or is not finite.
 */
export function normalizePauses (pauses: readonly Interval[], from: Instant): Interval[] {
  if (pauses.length === 0) return []
  const clipped: Interval[] = []
  for (const p of pauses) {
    if (!Number.isFinite(p.start) || !Number.isFinite(p.end) || p.end < p.start) {
      throw new CoreError('invalid-interval', 'a pause must have a finite start and an end not before its start', 'pauzes')
    }
    const start = p.start < from ? from : p.start
    if (p.end > start) clipped.push({ start, end: p.end })
  }
  if (clipped.length > 1) clipped.sort((a, b) => a.start - b.start)
  const merged: Interval[] = []
  for (const p of clipped) {
    const last = merged[merged.length - 1]
    if (last !== undefined && p.start <= last.end) {
      if (p.end > last.end) merged[merged.length - 1] = { start: last.start, end: p.end }
    } else {
      merged.push(p)
    }
  }
  return merged
}
