import type { BusinessCalendar } from '../calendar/business-calendar.js'
import type { Interval } from '../calendar/types.js'
import type { Duration, Instant } from '../time.js'
import type { SlaState } from './clocks.js'
import type { Normen, Prioriteit } from './types.js'
import { PRIORITEITEN } from './types.js'

/**
 * A ticket tool's own deadlines against the service's (issue 12, item 5). TOPdesk and Jira Service
 * Management compute deadlines of their own; when they differ from ours, a contract manager wants
 * to know by how much and, where it can be told, why. Pure: the claims, the state and the
 * calendars come in as values.
 */

/** The ticket tools a koppeling can take messages from. */
export const BRONNEN = ['topdesk', 'jira', 'zendesk'] as const
export type Bron = typeof BRONNEN[number]

/** Which of our clocks a tool's deadline is compared with. */
export type BronKlok = 'reactie' | 'functieherstel'
export const BRON_KLOKKEN: readonly BronKlok[] = ['reactie', 'functieherstel']

/** What the tool says, from its latest message that said it. */
export interface BronClaim {
  readonly klok: BronKlok
  readonly deadline: Instant
  /** The tool's own norm, when it says one (JSM `goalDuration`). */
  readonly norm: Duration | null
  /** The tool's time of the message that said it. */
  readonly bronOp: Instant
}

/**
 * Why the tool's deadline differs, when recomputing ours in the tool's presumed way gives the
 * tool's deadline (to the margin):
 * - `pauze-niet-geteld`: ours without the pauses (waiting on the gemeente) is the tool's;
 * - `feestdag-niet-geteld`: ours with the holidays as werkdagen is the tool's;
 * - `klok-loopt-altijd`: the tool counts the norm around the clock (24/7), not in kantooruren;
 * - `andere-norm`: the tool's own norm differs from the contract's;
 * - `prioriteit-gewijzigd`: the priority changed and the tool's deadline is that of another
 *   priority (or, when no recomputation matches, the priority changed at all: the likeliest cause).
 */
export type BronAfwijkingReden = 'pauze-niet-geteld' | 'feestdag-niet-geteld' | 'klok-loopt-altijd' | 'andere-norm' | 'prioriteit-gewijzigd'
export const BRON_AFWIJKING_REDENEN: readonly BronAfwijkingReden[] = ['pauze-niet-geteld', 'feestdag-niet-geteld', 'klok-loopt-altijd', 'andere-norm', 'prioriteit-gewijzigd']

export interface BronVergelijking {
  readonly klok: BronKlok
  readonly bron: Instant
  readonly bronNorm: Duration | null
  readonly bronOp: Instant
  /** Our deadline at the peilmoment; null when it is not fixed (the clock is paused, or has no norm). */
  readonly eigen: Instant | null
  readonly eigenNorm: Duration | null
  /** `bron − eigen`: positive when the tool allows more time; null when ours is not fixed. */
  readonly verschil: Duration | null
  /** More than the margin apart. */
  readonly afwijkend: boolean
  readonly reden: BronAfwijkingReden | null
  /** With `prioriteit-gewijzigd`: the priority whose norm gives the tool's deadline, if one does. */
  readonly volgensPrioriteit: Prioriteit | null
}

/**
 * Tools round to minutes (TOPdesk stores no seconds in some installations, JSM shows minutes): a
 * difference up to a minute is agreement.
 */
export const BRON_MARGE: Duration = 60_000

export interface BronContext {
  readonly normen: Normen
  /** The calendar of the clock's kind, as the clocks used it. */
  readonly calendar: BusinessCalendar
  /** The same calendar with every weekday a werkdag (no holidays, no extra closed days). */
  readonly zonderFeestdagen: BusinessCalendar
}

const close = (a: Instant, b: Instant): boolean => Math.abs(a - b) <= BRON_MARGE

/** What the clocks counted as not running: waits, and the stretches after a solution. */
const pausesOf = (state: SlaState): Interval[] => state.segmenten.filter((s) => !s.loopt).map((s) => ({ start: s.start, end: s.end }))

function reason (c: BronClaim, state: SlaState, gemeldOp: Instant, norm: Duration, ctx: BronContext): { reden: BronAfwijkingReden | null, volgensPrioriteit: Prioriteit | null } {
  const pauses = pausesOf(state).filter((p) => p.start < c.deadline)
  if (c.norm !== null && Math.abs(c.norm - norm) > BRON_MARGE) return { reden: 'andere-norm', volgensPrioriteit: null }
  if (pauses.length > 0 && close(ctx.calendar.deadline(gemeldOp, norm), c.deadline)) return { reden: 'pauze-niet-geteld', volgensPrioriteit: null }
  if (close(ctx.zonderFeestdagen.deadline(gemeldOp, norm, pauses), c.deadline) || close(ctx.zonderFeestdagen.deadline(gemeldOp, norm), c.deadline)) {
    return { reden: 'feestdag-niet-geteld', volgensPrioriteit: null }
  }
  if (ctx.calendar.kind === 'kantooruren' && close(gemeldOp + norm, c.deadline)) return { reden: 'klok-loopt-altijd', volgensPrioriteit: null }
  if (state.prioriteitHistorie.length > 0) {
    const other = PRIORITEITEN.find((p) => {
      if (p === state.prioriteit) return false
      const n = c.klok === 'reactie' ? ctx.normen.perPrioriteit[p].reactietijd : ctx.normen.perPrioriteit[p].functiehersteltijd
      return n !== null && (close(ctx.calendar.deadline(gemeldOp, n, pauses), c.deadline) || close(ctx.calendar.deadline(gemeldOp, n), c.deadline))
    })
    return { reden: 'prioriteit-gewijzigd', volgensPrioriteit: other ?? null }
  }
  return { reden: null, volgensPrioriteit: null }
}

/**
 * Each clock the tool states a deadline for, against ours at the state's peilmoment. The latest
 * claim per clock by the tool's own time counts (an older message arriving late changes nothing).
 */
export function vergelijkBron (claims: readonly BronClaim[], state: SlaState, gemeldOp: Instant, ctx: BronContext): BronVergelijking[] {
  const out: BronVergelijking[] = []
  for (const klok of BRON_KLOKKEN) {
    let c: BronClaim | undefined
    for (const x of claims) if (x.klok === klok && (c === undefined || x.bronOp > c.bronOp || (x.bronOp === c.bronOp && x.deadline > c.deadline))) c = x
    if (c === undefined) continue
    const k = klok === 'reactie' ? state.reactie : state.functieherstel
    const eigen = k.deadline
    const verschil = eigen === null ? null : c.deadline - eigen
    const afwijkend = verschil !== null && Math.abs(verschil) > BRON_MARGE
    const why = afwijkend && k.norm !== null ? reason(c, state, gemeldOp, k.norm, ctx) : { reden: null, volgensPrioriteit: null }
    out.push({ klok, bron: c.deadline, bronNorm: c.norm, bronOp: c.bronOp, eigen, eigenNorm: k.norm, verschil, afwijkend, ...why })
  }
  return out
}
