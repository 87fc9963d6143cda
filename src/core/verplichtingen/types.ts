import type { Instant } from '../time.js'
import type { OvergeslagenDag } from './termijnen.js'

/** Overleg levels of SLA 6.2. */
export type OverlegNiveau = 'strategisch' | 'tactisch' | 'operationeel'
export const OVERLEG_NIVEAUS: readonly OverlegNiveau[] = ['strategisch', 'tactisch', 'operationeel']

export type DocumentSoort = 'upgradebeleid' | 'tpm' | 'iso27001'
export const DOCUMENT_SOORTEN: readonly DocumentSoort[] = ['upgradebeleid', 'tpm', 'iso27001']
export type TpmType = 'isae-3000' | 'isae-3402'
export const TPM_TYPES: readonly TpmType[] = ['isae-3000', 'isae-3402']
/** 3.7: a release (upgrade) or a patch (update). */
export type ReleaseSoort = 'upgrade' | 'update'

/** What each obligation is about (SLA-RULES §12). */
export type VerplichtingSoort =
  | 'upgradebeleid' // R-VPL-1
  | 'acceptatie' // R-VPL-2
  | 'overleg-strategisch' | 'overleg-tactisch' | 'overleg-operationeel' | 'verslag' // R-VPL-3
  | 'tpm' | 'iso27001' // R-VPL-4
  | 'restoretest' // R-VPL-5
  | 'exit-overbrugging' | 'exit-overdracht' | 'exit-vernietiging' // R-VPL-6
export const VERPLICHTING_SOORTEN: readonly VerplichtingSoort[] = ['upgradebeleid', 'acceptatie', 'overleg-strategisch', 'overleg-tactisch', 'overleg-operationeel', 'verslag', 'tpm', 'iso27001', 'restoretest', 'exit-overbrugging', 'exit-overdracht', 'exit-vernietiging']

/**
 * `open`: not met and not yet due; `op-tijd`: met before its due instant; `te-laat`: met at or
 * after it; `verlopen`: due and still missing. Releases (R-VPL-2) add `te-vroeg`: installed on
 * production before acceptance, a breach; and `afgekeurd`: rejected, so never accepted.
 */
export type VerplichtingStatus = 'open' | 'op-tijd' | 'te-laat' | 'verlopen' | 'te-vroeg' | 'afgekeurd'
export const VERPLICHTING_STATUSSEN: readonly VerplichtingStatus[] = ['open', 'op-tijd', 'te-laat', 'verlopen', 'te-vroeg', 'afgekeurd']

/** Records as stored: append-only; a later record about the same thing corrects or completes an earlier one. */
export interface OverlegRecord {
  readonly id: string
  readonly niveau: OverlegNiveau
  /** `YYYY-MM-DD`: the meeting's date. Records with the same niveau and datum are about the same overleg. */
  readonly datum: string
  readonly verslagOntvangenOp: Instant | null
}

export interface ReleaseRecord {
  readonly id: string
  /** Records with the same kenmerk are about the same release. */
  readonly kenmerk: string
  readonly opTestOp: Instant | null
  readonly geaccepteerdOp: Instant | null
  readonly afgekeurdOp: Instant | null
  readonly inProductieVan: Instant | null
  readonly inProductieTot: Instant | null
}

export interface DocumentRecord {
  readonly id: string
  readonly soort: DocumentSoort
  readonly ontvangenOp: Instant
  /** upgradebeleid: the year it is for. */
  readonly jaar: number | null
  /** tpm. */
  readonly type: TpmType | null
  readonly periodeVan: string | null
  readonly periodeTot: string | null
  /** iso27001: the certificate's last valid date. */
  readonly geldigTot: string | null
}

export interface ExitRecord {
  readonly id: string
  readonly einddatum: string | null
  readonly overbruggingAangevraagdOp: Instant | null
  readonly overdrachtBevestigdOp: Instant | null
  readonly vernietigingsverklaringOp: Instant | null
}

export interface RestoretestFeit {
  readonly id: string
  readonly kenmerk: string
  readonly uitgevoerdOp: Instant
  readonly resultaat: 'geslaagd' | 'deels-geslaagd' | 'mislukt'
}

/** Why an obligation is due when it is, as values; `uitlegVan` puts it in words. */
export type Grondslag =
  | { readonly regel: 'R-VPL-1', readonly jaar: number, readonly eersteJaar: boolean }
  | { readonly regel: 'R-VPL-2', readonly opTestOp: Instant, readonly geaccepteerdOp: Instant | null, readonly afgekeurdOp: Instant | null, readonly stilzwijgend: boolean, readonly overtredingen: readonly InstallatieOvertreding[] }
  | { readonly regel: 'R-VPL-3-jaar', readonly niveau: 'strategisch' | 'tactisch', readonly jaar: number, readonly nummer: number, readonly vereist: number }
  | { readonly regel: 'R-VPL-3-zes-weken', readonly vorige: string | null }
  | { readonly regel: 'R-VPL-3-verslag', readonly niveau: OverlegNiveau, readonly datum: string, readonly werkdagen: readonly string[], readonly overgeslagen: readonly OvergeslagenDag[] }
  | { readonly regel: 'R-VPL-4-tpm', readonly vorige: Instant | null }
  | { readonly regel: 'R-VPL-4-iso27001', readonly geldigTot: string }
  | { readonly regel: 'R-VPL-5', readonly kwartaal: string }
  | { readonly regel: 'R-VPL-6-overbrugging', readonly einddatum: string }
  | { readonly regel: 'R-VPL-6-overdracht', readonly einddatum: string }
  | { readonly regel: 'R-VPL-6-vernietiging', readonly overdrachtBevestigdOp: Instant }

/** R-VPL-2 / R-BES-6: what was wrong with an installation on production, besides its timing. */
export type InstallatieOvertreding = 'binnen-kantooruren' | 'langer-dan-4-uur'

export interface Verplichting {
  readonly soort: VerplichtingSoort
  /** What it is about, stable per obligation: `2026`, `2026-Q3`, a release's kenmerk, an overleg's `niveau datum`. */
  readonly onderwerp: string
  readonly verwachtOp: Instant
  /** The due date (the date whose 24:00 is `verwachtOp`), or for a release the local date of its acceptance. */
  readonly verwachtDatum: string
  /** When it was met (for a release: installed on production), as known at the peilmoment. */
  readonly vervuldOp: Instant | null
  readonly status: VerplichtingStatus
  /** How late: calendar days from the due date to the date met (or to the peilmoment's date while verlopen); 0 otherwise. */
  readonly dagenTeLaat: number
  /** How late as elapsed time past the due instant (to when met, or to the peilmoment while verlopen); 0 otherwise. */
  readonly teLaat: number
  /** The record(s) it comes from. */
  readonly bronnen: readonly string[]
  readonly grondslag: Grondslag
}

/** Everything the overview of one contract needs, as values. */
export interface VerplichtingenInvoer {
  readonly timeZone: string
  /** The contract's start date (R-VPL-1, R-VPL-3, R-VPL-4 count from it). */
  readonly start: string
  readonly overleggen: readonly OverlegRecord[]
  /** In the order they were recorded: a later one corrects an earlier one. */
  readonly releases: readonly ReleaseRecord[]
  readonly documenten: readonly DocumentRecord[]
  /** In the order they were recorded. */
  readonly exit: readonly ExitRecord[]
  readonly restoretests: readonly RestoretestFeit[]
}

/** The rule of SLA-RULES §12 an obligation follows: `R-VPL-1` … `R-VPL-6`. */
export const regelVan = (v: Verplichting): string => v.grondslag.regel.replace(/^(R-VPL-\d).*$/, '$1')

/** Not kept: met late, missing past its due instant, or (a release) on production before acceptance. */
export const isInbreuk = (v: Pick<Verplichting, 'status'>): boolean => v.status === 'te-laat' || v.status === 'verlopen' || v.status === 'te-vroeg'
