import type { CalendarKind } from '../calendar/types.js'
import type { Duration, Instant } from '../time.js'

/** 1 (zeer hoog) … 4 (laag), table 3.2. */
export type Prioriteit = 1 | 2 | 3 | 4
export const PRIORITEITEN: readonly Prioriteit[] = [1, 2, 3, 4]

export const isPrioriteit = (n: unknown): n is Prioriteit => n === 1 || n === 2 || n === 3 || n === 4

/** R-PRI-1. */
export type MeldingType = 'verstoring' | 'beveiligingsincident' | 'vraag' | 'wens' | 'opdracht'
export const MELDING_TYPES: readonly MeldingType[] = ['verstoring', 'beveiligingsincident', 'vraag', 'wens', 'opdracht']

export type Omgeving = 'productie' | 'test'
export const OMGEVINGEN: readonly Omgeving[] = ['productie', 'test']

/** §5 statuses. */
export type MeldingStatus = 'geregistreerd' | 'in-behandeling' | 'wachten-op-informatie' | 'wachten-op-klant' | 'opgelost' | 'gesloten'
export const STATUSES: readonly MeldingStatus[] = ['geregistreerd', 'in-behandeling', 'wachten-op-informatie', 'wachten-op-klant', 'opgelost', 'gesloten']

/** R-SLU-1. */
export type Sluitreden = 'oplossing-geaccepteerd' | 'workaround-geaccepteerd' | 'geen-reactie' | 'akkoord-opdrachtgever'
export const SLUITREDENEN: readonly Sluitreden[] = ['oplossing-geaccepteerd', 'workaround-geaccepteerd', 'geen-reactie', 'akkoord-opdrachtgever']

/** `maatregel`: a measure taken against recurrence (SLA 7.3); like `opmerking`, the clocks ignore it. */
export type GebeurtenisType = 'reactie' | 'status' | 'prioriteit' | 'voortgang' | 'prioriteit-betwist' | 'opmerking' | 'maatregel'
export const GEBEURTENIS_TYPES: readonly GebeurtenisType[] = ['reactie', 'status', 'prioriteit', 'voortgang', 'prioriteit-betwist', 'opmerking', 'maatregel']

/** SLA 7.1/7.3: the aspects of information security an incident can touch. */
export type BivAspect = 'beschikbaarheid' | 'integriteit' | 'vertrouwelijkheid'
export const BIV_ASPECTEN: readonly BivAspect[] = ['beschikbaarheid', 'integriteit', 'vertrouwelijkheid']

/** One event of a melding, as the clocks need it. */
export interface Gebeurtenis {
  /** A stable identity, used only to name the event in anomalies and explanations. */
  readonly id: string
  readonly type: GebeurtenisType
  readonly op: Instant
  readonly status?: MeldingStatus | undefined
  readonly prioriteit?: Prioriteit | undefined
  readonly sluitreden?: Sluitreden | undefined
  /** The sender's own id of the event; part of the content-based order of simultaneous events. */
  readonly kenmerk?: string | undefined
}

/** The norm of one priority (table 3.3, 3.4). */
export interface Norm {
  /** Reactietijd; null: no reactie norm (prio 1 is reported by phone). */
  readonly reactietijd: Duration | null
  readonly functiehersteltijd: Duration
  /** Cadence of progress updates (R-COM-1); null: none due. */
  readonly voortgang: Duration | null
  readonly kalender: CalendarKind
}

/** One version of a contract's norms (they are versioned by date; R-PRI-5 / issue 4). */
export interface Normen {
  readonly perPrioriteit: Readonly<Record<Prioriteit, Norm>>
  /** R-SLU-2: how long a melding may stay opgelost before it is closed `geen-reactie`. */
  readonly automatischSluitenNa: Duration
}

/** The facts of a melding the clocks are computed from. */
export interface MeldingFeiten {
  readonly gemeldOp: Instant
  readonly type: MeldingType
  readonly omgeving: Omgeving
  /** The priority the reporter asked for (undefined: none given). */
  readonly gevraagdePrioriteit: Prioriteit | undefined
  readonly gebeurtenissen: readonly Gebeurtenis[]
}

/** R-CLK-5. */
export type KlokStatus = 'lopend' | 'gepauzeerd' | 'behaald' | 'verlopen' | 'nvt'

/** What a contract agrees, as one version valid from a date on. */
export interface Voorwaarden {
  readonly normen: Normen
  /** R-KPI-3: the share of clocks that must be within norm. */
  readonly prestatienorm: number
  /** R-BES-5: the monthly availability that must be reached. */
  readonly beschikbaarheidsnorm: number
  /** R-CAL-2: extra closed days agreed in the contract. */
  readonly extraGeslotenDagen: ReadonlyArray<{ readonly datum: string, readonly naam: string }>
}

export interface VoorwaardenVersie extends Voorwaarden {
  readonly versie: number
  /** `YYYY-MM-DD` in Europe/Amsterdam: from this date on the version is in force. */
  readonly geldigVanaf: string
}
