import type { ColumnType, Generated, Insertable, Selectable } from 'kysely'
import type { BivAspect, Bron, BronKlok, DocumentSoort, GebeurtenisType, MeldingStatus, MeldingType, Omgeving, OnderhoudSoort, OverlegNiveau, Prioriteit, ReleaseSoort, RestoretestResultaat, SignaalSoort, Sluitreden, TpmType } from '../../core/index.js'

/** Timestamps: Date when read, Date or ISO string when written. */
type Timestamp = ColumnType<Date, Date | string, Date | string>

export interface LeverancierTable {
  id: Generated<string>
  naam: string
  kvk_nummer: string | null
  aangemaakt_op: ColumnType<Date, Date | string | undefined, Date | string>
}

export type SleutelRol = 'beheerder' | 'lezer' | 'leverancier' | 'monitor'

export interface SleutelTable {
  id: Generated<string>
  rol: SleutelRol
  leverancier_id: string | null
  diensten: ColumnType<string[], string[] | undefined, string[]>
  omschrijving: string
  /** SHA-256 (hex) of the secret; the secret itself is never stored. */
  hash: string
  /** The secret's first characters, so that a person can recognise a key in a list. */
  prefix: string
  aangemaakt_op: ColumnType<Date, Date | string | undefined, Date | string>
  aangemaakt_door: string | null
  ingetrokken_op: Timestamp | null
}

export interface ContractTable {
  id: Generated<string>
  leverancier_id: string
  naam: string
  aangemaakt_op: ColumnType<Date, Date | string | undefined, Date | string>
  aangemaakt_door: string | null
}

/** The terms of one version as stored (durations in milliseconds). */
export interface StoredVoorwaarden {
  normen: { perPrioriteit: Record<'1' | '2' | '3' | '4', { reactietijd: number | null, functiehersteltijd: number, voortgang: number | null, kalender: 'kantooruren' | 'altijd' }>, automatischSluitenNa: number }
  prestatienorm: number
  beschikbaarheidsnorm: number
  extraGeslotenDagen: Array<{ datum: string, naam: string }>
}

export interface ContractNormenTable {
  contract_id: string
  versie: number
  geldig_vanaf: string
  normen: ColumnType<StoredVoorwaarden, string, never>
  aangemaakt_op: ColumnType<Date, Date | string | undefined, never>
  aangemaakt_door: string | null
}

export interface MeldingTable {
  id: Generated<string>
  contract_id: string
  kenmerk: string
  onderwerp: string
  type: MeldingType
  omgeving: Omgeving
  gevraagde_prioriteit: Prioriteit | null
  gemeld_op: ColumnType<Date, Date | string, Date | string>
  status: ColumnType<MeldingStatus, MeldingStatus | undefined, MeldingStatus>
  prioriteit: Prioriteit
  actief: ColumnType<boolean, boolean | undefined, boolean>
  automatisch_sluiten_op: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  aangemaakt_op: ColumnType<Date, Date | string | undefined, Date | string>
  aangemaakt_door: string | null
  /** SLA 7.3, only for a beveiligingsincident: the BIV aspects touched, and whether it is major. */
  biv: ColumnType<BivAspect[] | null, BivAspect[] | null | undefined, never>
  major: ColumnType<boolean | null, boolean | null | undefined, never>
}

export interface GebeurtenisTable {
  id: Generated<string>
  melding_id: string
  kenmerk: string | null
  type: GebeurtenisType
  op: ColumnType<Date, Date | string, never>
  status: MeldingStatus | null
  prioriteit: Prioriteit | null
  sluitreden: Sluitreden | null
  toelichting: string | null
  ontvangen_op: ColumnType<Date, Date | string | undefined, never>
  sleutel_id: string | null
  /** The koppeling message it was derived from (issue 12); null for events sent through the API. */
  bericht_id: ColumnType<string | null, string | null | undefined, never>
}

export interface KoppelingTable {
  id: Generated<string>
  contract_id: string
  bron: Bron
  naam: string
  /** AES-256-GCM: nonce (12) ‖ tag (16) ‖ ciphertext. */
  geheim_versleuteld: Uint8Array
  aangemaakt_op: ColumnType<Date, Date | string | undefined, never>
  aangemaakt_door: string | null
  /** After a replacement: the previous secret, accepted until `vorig_geheim_tot`. */
  vorig_geheim_versleuteld: ColumnType<Uint8Array | null, Uint8Array | null | undefined, Uint8Array | null>
  vorig_geheim_tot: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  geheim_gewisseld_op: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  /** TOPdesk REST API read access (issue 13): base URL (…/tas/api), operator login, encrypted application password, FIQL filter. */
  topdesk_url: ColumnType<string | null, string | null | undefined, string | null>
  topdesk_gebruiker: ColumnType<string | null, string | null | undefined, string | null>
  topdesk_wachtwoord_versleuteld: ColumnType<Uint8Array | null, Uint8Array | null | undefined, Uint8Array | null>
  topdesk_filter: ColumnType<string | null, string | null | undefined, string | null>
  /** Every incident modified at or before this was read and processed by the reconciliation. */
  topdesk_cursor: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  topdesk_status: ColumnType<TopdeskStatus | null, TopdeskStatus | null | undefined, TopdeskStatus | null>
  topdesk_laatste_succes: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  topdesk_laatste_fout: ColumnType<string | null, string | null | undefined, string | null>
  topdesk_laatste_fout_op: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  topdesk_bezig_tot: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
}

export type TopdeskStatus = 'ok' | 'fout'
export type BerichtBron = 'push' | 'pull' | 'import'
export type ImportStatus = 'bezig' | 'klaar' | 'mislukt' | 'geannuleerd'

export interface TopdeskImportTable {
  id: Generated<string>
  koppeling_id: string
  vanaf: ColumnType<Date, Date | string, never>
  tot: ColumnType<Date, Date | string, never>
  cursor: ColumnType<Date, Date | string, Date | string>
  status: ImportStatus
  gelezen: ColumnType<number, number | undefined, number>
  vertaald: ColumnType<number, number | undefined, number>
  bekend: ColumnType<number, number | undefined, number>
  fouten: ColumnType<number, number | undefined, number>
  laatste_fout: string | null
  pogingen: ColumnType<number, number | undefined, number>
  totaal: ColumnType<number | null, number | null | undefined, number | null>
  bezig_tot: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  aangemaakt_op: ColumnType<Date, Date | string, never>
  bijgewerkt_op: ColumnType<Date, Date | string, Date | string>
  klaar_op: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
}

export interface KoppelingVertalingTable {
  koppeling_id: string
  versie: number
  geldig_vanaf: ColumnType<Date, Date | string, never>
  vertaling: ColumnType<unknown, string, never>
  aangemaakt_door: string | null
}

export interface BerichtTable {
  id: Generated<string>
  koppeling_id: string
  ontvangen_op: ColumnType<Date, Date | string, never>
  levering: string
  ticket: string | null
  volgorde: ColumnType<Date | null, Date | string | null, never>
  headers: ColumnType<Record<string, string>, string, never>
  /** The body as received; null once cleared after the retention term (opgeschoond_op). */
  inhoud: ColumnType<string | null, string, null>
  /** SHA-256 (hex) of the body as received, kept when the body is cleared (a trigger fills it when not given). */
  inhoud_sha256: ColumnType<string, string | undefined, never>
  resultaat: BerichtResultaat
  reden: string | null
  /** null while `ontvangen` (not processed yet). */
  verwerkt_op: ColumnType<Date | null, Date | string | null, Date | string>
  /** The order of arrival. */
  nr: ColumnType<string, never, never>
  opgeschoond_op: ColumnType<Date | null, never, Date | string>
  /** push: sent by the tool; pull/import: read through the tool's API (issue 13). */
  bron: ColumnType<BerichtBron, BerichtBron | undefined, never>
}

/** What a ticket tool itself says a deadline is (issue 12, item 5); append-only. */
export interface BronDeadlineTable {
  id: Generated<string>
  melding_id: string
  klok: BronKlok
  deadline: ColumnType<Date, Date | string, never>
  /** The tool's own norm in milliseconds (bigint: read as a string by pg, a number by PGlite). */
  norm_ms: ColumnType<string | number | null, number | null, never>
  bericht_id: string
  bron_op: ColumnType<Date, Date | string, never>
}

/** A message's outcome: `ontvangen` is stored and not processed yet. */
export type BerichtResultaat = 'ontvangen' | 'verwerkt' | 'dubbel' | 'fout'

export interface DienstTable {
  id: Generated<string>
  contract_id: string
  naam: string
  omgeving: Omgeving
  meetinterval_ms: number
  aangemaakt_op: ColumnType<Date, Date | string | undefined, never>
  aangemaakt_door: string | null
}

export interface MeetreeksTable {
  dienst_id: string
  van: ColumnType<Date, Date | string, Date | string>
  tot: ColumnType<Date, Date | string, Date | string>
  beschikbaar: boolean
  aantal: number
  tijdstippen: Uint8Array
}

/** Response times per dienst and UTC day: the hour rows summed, for reports over many diensten. */
export interface ResponstijdDagTable {
  dienst_id: string
  /** `YYYY-MM-DD`, a UTC date. */
  dag: string
  aantal: number
  som_ms: number
  histogram: Uint8Array
}

export interface UitsluitingTable {
  id: Generated<string>
  dienst_id: string
  van: ColumnType<Date, Date | string, never>
  tot: ColumnType<Date, Date | string, never>
  reden: string
  toelichting: string
  aangemaakt_op: ColumnType<Date, Date | string | undefined, never>
  sleutel_id: string | null
}

export interface OnderhoudTable {
  id: Generated<string>
  dienst_id: string
  van: ColumnType<Date, Date | string, never>
  tot: ColumnType<Date, Date | string, never>
  soort: OnderhoudSoort
  omgeving: Omgeving
  toelichting: string
  aangemaakt_op: ColumnType<Date, Date | string | undefined, never>
  sleutel_id: string | null
}

export interface GebruikersopgaveTable {
  id: Generated<string>
  contract_id: string
  periode: string
  gebruikers: number
  rechten: ColumnType<Array<{ recht: string, gebruikers: number }>, string, never>
  gevolgen: string
  opgegeven_op: ColumnType<Date, Date | string | undefined, never>
  sleutel_id: string | null
}

export interface RestoretestTable {
  id: Generated<string>
  contract_id: string
  kenmerk: string
  uitgevoerd_op: ColumnType<Date, Date | string, never>
  resultaat: RestoretestResultaat
  toelichting: string
  opvolging: string
  aangemaakt_op: ColumnType<Date, Date | string | undefined, never>
  sleutel_id: string | null
}

export interface RapportageTable {
  id: string
  contract_id: string
  periode: string
  versie: number
  gegenereerd_op: ColumnType<Date, Date | string, never>
  gegenereerd_door: string | null
  invoer_hash: string
  /** The report's JSON text exactly as made. */
  inhoud: string
}

/** Append-only records of the SLA's other obligations (issue 15); `volgnummer` is the recording order. */
export interface OverlegTable {
  id: Generated<string>
  volgnummer: ColumnType<string, never, never>
  contract_id: string
  niveau: OverlegNiveau
  datum: ColumnType<string, string, never>
  verslag_ontvangen_op: ColumnType<Date | null, Date | string | null, never>
  toelichting: string
  aangemaakt_op: ColumnType<Date, Date | string | undefined, never>
  sleutel_id: string | null
}

export interface ReleaseTable {
  id: Generated<string>
  volgnummer: ColumnType<string, never, never>
  contract_id: string
  kenmerk: string
  soort: ReleaseSoort | null
  op_test_op: ColumnType<Date | null, Date | string | null, never>
  geaccepteerd_op: ColumnType<Date | null, Date | string | null, never>
  afgekeurd_op: ColumnType<Date | null, Date | string | null, never>
  besloten_door: string | null
  in_productie_van: ColumnType<Date | null, Date | string | null, never>
  in_productie_tot: ColumnType<Date | null, Date | string | null, never>
  toelichting: string
  aangemaakt_op: ColumnType<Date, Date | string | undefined, never>
  sleutel_id: string | null
}

export interface DocumentTable {
  id: Generated<string>
  volgnummer: ColumnType<string, never, never>
  contract_id: string
  soort: DocumentSoort
  ontvangen_op: ColumnType<Date, Date | string, never>
  jaar: number | null
  type: TpmType | null
  periode_van: string | null
  periode_tot: string | null
  geldig_tot: string | null
  toelichting: string
  aangemaakt_op: ColumnType<Date, Date | string | undefined, never>
  sleutel_id: string | null
}

export interface ExitMijlpaalTable {
  id: Generated<string>
  volgnummer: ColumnType<string, never, never>
  contract_id: string
  einddatum: string | null
  overbrugging_aangevraagd_op: ColumnType<Date | null, Date | string | null, never>
  overdracht_bevestigd_op: ColumnType<Date | null, Date | string | null, never>
  vernietigingsverklaring_op: ColumnType<Date | null, Date | string | null, never>
  toelichting: string
  aangemaakt_op: ColumnType<Date, Date | string | undefined, never>
  sleutel_id: string | null
}

/** SLA 6.3: one contact of the escalation matrix. */
export interface EscalatieContact {
  niveau: 1 | 2 | 3
  partij: 'opdrachtgever' | 'opdrachtnemer'
  rol: string
  naam: string
  email: string
  telefoon: string | null
}

export interface EscalatiematrixTable {
  contract_id: string
  versie: number
  /** `YYYY-MM-DD` (date, read as text). */
  geldig_vanaf: string
  contacten: ColumnType<EscalatieContact[], string, never>
  aangemaakt_op: ColumnType<Date, Date | string, never>
  aangemaakt_door: string | null
}

export type AbonnementSoort = 'webhook' | 'email' | 'escalatie'
/** `test`: a test send of one abonnement. */
export type StoredSignaalSoort = SignaalSoort | 'test'
export type AfleveringStatus = 'wachtend' | 'afgeleverd' | 'mislukt'

export interface AbonnementTable {
  id: Generated<string>
  soort: AbonnementSoort
  url: string | null
  adressen: string[] | null
  niveau: number | null
  signalen: StoredSignaalSoort[] | null
  contract_id: string | null
  leverancier_id: string | null
  omschrijving: ColumnType<string, string | undefined, string>
  geheim_versleuteld: Uint8Array | null
  actief: ColumnType<boolean, boolean | undefined, boolean>
  aangemaakt_op: ColumnType<Date, Date | string, never>
  aangemaakt_door: string | null
}

export interface SignaalPlanningTable {
  melding_id: string
  volgende_op: ColumnType<Date | null, Date | string | null, Date | string | null>
  verwerkt_tot: ColumnType<Date, Date | string, Date | string>
}

export interface SignaalTable {
  id: Generated<string>
  sleutel: string
  soort: StoredSignaalSoort
  contract_id: string | null
  melding_id: string | null
  op: ColumnType<Date, Date | string, never>
  gevuurd_op: ColumnType<Date, Date | string, never>
  kenmerken: ColumnType<Record<string, unknown>, string, never>
  aangemaakt_op: ColumnType<Date, Date | string, never>
}

export interface AfleveringTable {
  id: Generated<string>
  signaal_id: string
  abonnement_id: string
  status: AfleveringStatus
  pogingen: ColumnType<number, number | undefined, number>
  venster_start: ColumnType<Date, Date | string, Date | string>
  volgende_poging_op: ColumnType<Date | null, Date | string | null, Date | string | null>
  laatste_poging_op: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  laatste_status: ColumnType<number | null, number | null | undefined, number | null>
  laatste_fout: ColumnType<string | null, string | null | undefined, string | null>
  afgeleverd_op: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  aangemaakt_op: ColumnType<Date, Date | string, never>
}

export interface Database {
  escalatiematrix: EscalatiematrixTable
  abonnement: AbonnementTable
  signaal_planning: SignaalPlanningTable
  signaal: SignaalTable
  aflevering: AfleveringTable
  gebruikersopgave: GebruikersopgaveTable
  restoretest: RestoretestTable
  rapportage: RapportageTable
  dienst: DienstTable
  meetreeks: MeetreeksTable
  responstijd_dag: ResponstijdDagTable
  uitsluiting: UitsluitingTable
  onderhoud: OnderhoudTable
  leverancier: LeverancierTable
  sleutel: SleutelTable
  contract: ContractTable
  contract_normen: ContractNormenTable
  melding: MeldingTable
  gebeurtenis: GebeurtenisTable
  koppeling: KoppelingTable
  koppeling_vertaling: KoppelingVertalingTable
  bericht: BerichtTable
  bron_deadline: BronDeadlineTable
  overleg: OverlegTable
  release: ReleaseTable
  document: DocumentTable
  exit_mijlpaal: ExitMijlpaalTable
  topdesk_import: TopdeskImportTable
}

export type ContractRow = Selectable<ContractTable>
export type ContractNormenRow = Selectable<ContractNormenTable>
export type MeldingRow = Selectable<MeldingTable>
export type GebeurtenisRow = Selectable<GebeurtenisTable>
export type KoppelingRow = Selectable<KoppelingTable>
export type KoppelingVertalingRow = Selectable<KoppelingVertalingTable>
/** A message as stored: its body is null once cleared after the retention term. */
export type BerichtOpgeslagen = Selectable<BerichtTable>
/** A message with its body (one that is processed: a cleared message never is). */
export type BerichtRow = BerichtOpgeslagen & { inhoud: string }
export type TopdeskImportRow = Selectable<TopdeskImportTable>
export type BronDeadlineRow = Selectable<BronDeadlineTable>

export type LeverancierRow = Selectable<LeverancierTable>
export type SleutelRow = Selectable<SleutelTable>
export type NewSleutel = Insertable<SleutelTable>
export type DienstRow = Selectable<DienstTable>
export type UitsluitingRow = Selectable<UitsluitingTable>
export type OnderhoudRow = Selectable<OnderhoudTable>
export type GebruikersopgaveRow = Selectable<GebruikersopgaveTable>
export type RestoretestRow = Selectable<RestoretestTable>
export type RapportageRow = Selectable<RapportageTable>
export type OverlegRow = Selectable<OverlegTable>
export type ReleaseRow = Selectable<ReleaseTable>
export type DocumentRow = Selectable<DocumentTable>
export type ExitMijlpaalRow = Selectable<ExitMijlpaalTable>
export type EscalatiematrixRow = Selectable<EscalatiematrixTable>
export type AbonnementRow = Selectable<AbonnementTable>
export type SignaalRow = Selectable<SignaalTable>
export type AfleveringRow = Selectable<AfleveringTable>
