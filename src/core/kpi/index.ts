import { DateTime } from 'luxon'
import type { Interval } from '../calendar/types.js'
import { CoreError } from '../errors.js'
import type { SlaState } from '../sla/clocks.js'
import { PRIORITEITEN, type Prioriteit } from '../sla/types.js'
import type { Instant } from '../time.js'

export type KlokSoort = 'reactie' | 'functieherstel'

/** R-KPI-1: one decided clock of one melding. */
export interface Beslissing {
  readonly melding: string
  readonly klok: KlokSoort
  /** The final priority (R-PRI-5). */
  readonly prioriteit: Prioriteit
  /** When it stopped within norm, or its deadline when it ran past it. */
  readonly beslistOp: Instant
  readonly binnenNorm: boolean
}

/**
 * The decided clocks of a melding (R-KPI-1), read from its state computed over the whole history
 * known when the report is made: a clock stopped within norm is decided at its stop (after a
 * reopening: the last `opgelost`), one that ran past its deadline at the deadline; a running or
 * paused clock within norm is not decided yet, and prio 1 has no reactie clock (R-KPI-2).
 */
export function beslissingen (melding: string, state: SlaState): Beslissing[] {
  const out: Beslissing[] = []
  for (const klok of ['reactie', 'functieherstel'] as const) {
    const k = state[klok]
    if (k.beslistOp === null || (k.status !== 'behaald' && k.status !== 'verlopen')) continue
    out.push({ melding, klok, prioriteit: state.prioriteit, beslistOp: k.beslistOp, binnenNorm: k.status === 'behaald' })
  }
  return out
}

const QUARTER = /^(\d{4})-Q([1-4])$/
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/

/** R-KPI-4: a calendar month (`2026-03`) or quarter (`2026-Q1`) in a time zone, as [start, end). */
export function periodInterval (periode: string, timeZone: string): Interval {
  const q = QUARTER.exec(periode)
  const m = MONTH.exec(periode)
  if (q === null && m === null) throw new CoreError('invalid-instant', `'${periode}' is no month (2026-03) or quarter (2026-Q1)`, 'periode')
  const year = Number((q ?? m)?.[1])
  const firstMonth = q !== null ? (Number(q[2]) - 1) * 3 + 1 : Number(m?.[2])
  const start = DateTime.fromObject({ year, month: firstMonth, day: 1 }, { zone: timeZone })
  return { start: start.toMillis(), end: start.plus({ months: q !== null ? 3 : 1 }).toMillis() }
}

export interface KpiCel {
  readonly beslist: number
  readonly binnenNorm: number
  /** binnenNorm / beslist; null when nothing was decided. */
  readonly aandeel: number | null
  /** The meldingen behind the counts, so each share can be checked by hand. */
  readonly meldingenBinnenNorm: readonly string[]
  readonly meldingenBuitenNorm: readonly string[]
}

export interface KpiResultaat {
  readonly periode: Interval
  readonly perPrioriteit: ReadonlyArray<{ readonly prioriteit: Prioriteit, readonly reactie: KpiCel | null, readonly functieherstel: KpiCel }>
  readonly totaal: { readonly reactie: KpiCel, readonly functieherstel: KpiCel }
  readonly norm: number
  /**
   * R-KPI-3: `behaald` when, for every priority with a decided clock, each share with decided
   * clocks is at least the norm; `geen-meldingen` when nothing was decided in the period.
   */
  readonly oordeel: 'behaald' | 'niet-behaald' | 'geen-meldingen'
}

function cel (list: readonly Beslissing[]): KpiCel {
  const binnen = list.filter((b) => b.binnenNorm).map((b) => b.melding).sort()
  const buiten = list.filter((b) => !b.binnenNorm).map((b) => b.melding).sort()
  return { beslist: list.length, binnenNorm: binnen.length, aandeel: list.length === 0 ? null : binnen.length / list.length, meldingenBinnenNorm: binnen, meldingenBuitenNorm: buiten }
}

/**
 * KPI of a period (R-KPI-1…3): every clock counts once, in the period containing its decision
 * instant (half-open: a decision at the period's end belongs to the next one).
 */
export function computeKpi (all: readonly Beslissing[], periode: Interval, norm: number): KpiResultaat {
  const inPeriod = all.filter((b) => b.beslistOp >= periode.start && b.beslistOp < periode.end)
  const perPrioriteit = PRIORITEITEN.map((prioriteit) => {
    const mine = inPeriod.filter((b) => b.prioriteit === prioriteit)
    return {
      prioriteit,
      reactie: prioriteit === 1 ? null : cel(mine.filter((b) => b.klok === 'reactie')),
      functieherstel: cel(mine.filter((b) => b.klok === 'functieherstel'))
    }
  })
  const shares = perPrioriteit.flatMap((p) => [p.reactie, p.functieherstel]).filter((c): c is KpiCel => c !== null && c.beslist > 0)
  const oordeel = shares.length === 0 ? 'geen-meldingen' : shares.every((c) => (c.aandeel as number) >= norm) ? 'behaald' : 'niet-behaald'
  return {
    periode,
    perPrioriteit,
    totaal: { reactie: cel(inPeriod.filter((b) => b.klok === 'reactie')), functieherstel: cel(inPeriod.filter((b) => b.klok === 'functieherstel')) },
    norm,
    oordeel
  }
}
