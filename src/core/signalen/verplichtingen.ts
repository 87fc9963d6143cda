import type { BusinessCalendar } from '../calendar/business-calendar.js'
import type { Instant } from '../time.js'
import { addDays, dateOf } from '../verplichtingen/termijnen.js'
import type { Verplichting } from '../verplichtingen/types.js'

/**
 * Signals of the SLA's other obligations (issue 15, item 4): one when an obligation that is not
 * met falls due within 5 werkdagen, one when it became `verlopen` (due and still missing). Keyed by
 * contract, soort, onderwerp and due instant, so each is sent once, and a due instant that moves
 * (a corrected record) is a new one. Pure: the list at `now` and the calendar come in as values.
 */

/** "Due within 5 werkdagen": the due date is at most this many werkdagen after today. */
export const BINNENKORT_WERKDAGEN = 5

export interface VerplichtingSignaal {
  readonly soort: 'verplichting.binnenkort' | 'verplichting.verlopen'
  readonly sleutel: string
  /** The instant it is about: the due instant. */
  readonly op: Instant
  readonly verplichting: Verplichting
}

/** How many werkdagen lie after `from` up to and including `to` (both `YYYY-MM-DD`), counting at most `max + 1`. */
function werkdagenTot (calendar: BusinessCalendar, from: string, to: string, max: number): number {
  let n = 0
  for (let d = addDays(from, 1); d <= to && n <= max; d = addDays(d, 1)) if (calendar.isWerkdag(d)) n++
  return n
}

export function verplichtingSignalen (list: readonly Verplichting[], contract: string, calendar: BusinessCalendar, now: Instant): VerplichtingSignaal[] {
  const today = dateOf(now, calendar.timeZone)
  const out: VerplichtingSignaal[] = []
  for (const v of list) {
    const key = `${contract}:${v.soort}:${v.onderwerp}:${new Date(v.verwachtOp).toISOString()}`
    if (v.status === 'verlopen') {
      out.push({ soort: 'verplichting.verlopen', sleutel: `verplichting.verlopen:${key}`, op: v.verwachtOp, verplichting: v })
    } else if (v.status === 'open' && now < v.verwachtOp && werkdagenTot(calendar, today, v.verwachtDatum, BINNENKORT_WERKDAGEN) <= BINNENKORT_WERKDAGEN) {
      out.push({ soort: 'verplichting.binnenkort', sleutel: `verplichting.binnenkort:${key}`, op: v.verwachtOp, verplichting: v })
    }
  }
  return out
}
