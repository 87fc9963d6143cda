import type { MaandResultaat } from '../beschikbaarheid/types.js'
import type { Duration, Instant } from '../time.js'

export interface MaandSignalen {
  /** The month so far is below the norm (R-BES-5): beschikbaar / (beschikbaar + onbeschikbaar) < norm. */
  readonly onderNorm: boolean
  /**
   * The downtime the month can have and still reach the norm, if every other minute of its window
   * (less exclusions) is measured available: (1 − norm) × (window − uitgesloten).
   */
  readonly budget: Duration
  /** What is left of that budget (0 once it is spent). */
  readonly resterend: Duration
  /** The instant the downtime passed the budget: from then on the norm can no longer be reached this month; null while it can. */
  readonly onbereikbaarOp: Instant | null
}

/** `beschikbaarheid.onder-norm` (issue 14) read from a month's result so far. */
export function maandSignalen (r: MaandResultaat): MaandSignalen {
  const budget = (1 - r.norm) * Math.max(0, r.venster - r.uitgesloten)
  let used = 0
  let onbereikbaarOp: Instant | null = null
  const down = r.dagen.flatMap((d) => d.onbeschikbaar).slice().sort((a, b) => a.start - b.start)
  for (const iv of down) {
    const len = iv.end - iv.start
    if (onbereikbaarOp === null && used + len > budget) onbereikbaarOp = iv.start + Math.max(0, budget - used)
    used += len
  }
  return {
    onderNorm: r.beschikbaarheid !== null && r.beschikbaarheid < r.norm,
    budget,
    resterend: Math.max(0, budget - r.onbeschikbaar),
    onbereikbaarOp
  }
}
