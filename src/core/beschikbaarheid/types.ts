import type { Duration, Instant } from '../time.js'
import type { Interval } from '../calendar/types.js'

/** One sample of a probe (R-BES-2). */
export interface Meting {
  readonly op: Instant
  readonly beschikbaar: boolean
  readonly responstijdMs?: number | undefined
}

/**
 * A run of consecutive samples of one state, each at most 2 × the interval after the previous
 * one, within one UTC day: what is stored instead of the samples (R-BES-2). It covers
 * [first, last) and, after its last sample, up to 2 × the interval or the next sample.
 */
export interface Reeks {
  readonly beschikbaar: boolean
  /** The sample instants, sorted, unique. */
  readonly tijdstippen: readonly Instant[]
}

/** A run as the month computation needs it: only its first and last sample. */
export interface ReeksGrenzen {
  readonly van: Instant
  readonly tot: Instant
  readonly beschikbaar: boolean
}

export type UitsluitingReden = 'verzoek-gemeente' | 'gemeentelijke-infrastructuur'
export const UITSLUITING_REDENEN: readonly UitsluitingReden[] = ['verzoek-gemeente', 'gemeentelijke-infrastructuur']

export type OnderhoudSoort = 'onderhoud' | 'upgrade' | 'update'
export const ONDERHOUD_SOORTEN: readonly OnderhoudSoort[] = ['onderhoud', 'upgrade', 'update']

export interface Onderhoud extends Interval {
  readonly id: string
  readonly soort: OnderhoudSoort
  readonly omgeving: 'productie' | 'test'
}

/**
 * Response times of a stretch of samples inside one service window (a UTC day's window samples, as
 * stored): count, sum and a log-scale histogram (R-BES-7).
 */
export interface ResponstijdAggregaat {
  /** An instant inside the service window its samples came from: it places them in a month. */
  readonly op: number
  readonly aantal: number
  readonly somMs: number
  /** bucket index → count; see `bucketOf`. */
  readonly histogram: ReadonlyMap<number, number>
}

export type Oordeel = 'behaald' | 'niet-behaald' | 'onvoldoende-meetdata'

export interface DagUitleg {
  readonly datum: string
  readonly venster: Interval
  readonly onbeschikbaar: readonly Interval[]
  readonly onbekend: readonly Interval[]
  readonly uitgesloten: readonly Interval[]
}

export interface MaandResultaat {
  readonly maand: string
  readonly venster: Duration
  readonly beschikbaar: Duration
  readonly onbeschikbaar: Duration
  readonly onbekend: Duration
  readonly uitgesloten: Duration
  /** beschikbaar / (beschikbaar + onbeschikbaar); null when nothing was measured. */
  readonly beschikbaarheid: number | null
  /** (beschikbaar + onbeschikbaar) / (window − uitgesloten). */
  readonly dekking: number
  readonly norm: number
  readonly oordeel: Oordeel
  readonly responstijd: { readonly aantal: number, readonly gemiddeldMs: number | null, readonly p95Ms: number | null }
  readonly onderhoudInVenster: ReadonlyArray<{ readonly onderhoud: Onderhoud, readonly inVenster: Duration, readonly overtredingen: ReadonlyArray<'langer-dan-4-uur' | 'binnen-kantooruren'> }>
  readonly dagen: readonly DagUitleg[]
}
