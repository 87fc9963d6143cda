import type { Kysely } from 'kysely'
import { getContract, versionsOf, type Scope } from '../adapters/db/contracten-repository.js'
import type { ContractNormenRow, Database, DocumentRow, ExitMijlpaalRow, OverlegRow, ReleaseRow } from '../adapters/db/schema.js'
import {
  addDocument, addExitMijlpaal, addOverleg, addRelease, contractsInScope, documentPage, exitPage, overlegPage, recordsOf, releasePage, type Records
} from '../adapters/db/verplichtingen-repository.js'
import {
  dateOf, SLA_TIME_ZONE, startOfDate, verplichtingenOp, versionInForce, volgorde,
  type DocumentSoort, type Instant, type OverlegNiveau, type ReleaseSoort, type TpmType, type Verplichting, type VerplichtingenInvoer, type VerplichtingSoort, type VerplichtingStatus
} from '../core/index.js'
import { invalid, ServiceError } from './errors.js'
import { fromRow, slaContext } from './voorwaarden.js'

export type { DocumentRow, ExitMijlpaalRow, OverlegRow, ReleaseRow } from '../adapters/db/schema.js'

type Page = { offset: number, limit: number }
type Problem = { name: string, reason: string }
const ms = (d: Date | null): Instant | null => (d === null ? null : d.getTime())
const date = (t: Instant | undefined): Date | null => (t === undefined ? null : new Date(t))

/** A contract-bound resource: another leverancier's contract is not found (404), as for the contract itself. */
async function contractOf (db: Kysely<Database>, id: string, scope: Scope): Promise<{ id: string, naam: string, leverancier_id: string, aangemaakt_op: Date }> {
  const row = await getContract(db, id, scope)
  if (row === undefined) throw new ServiceError('not-found', `contract ${id} does not exist, or this key may not see it`)
  return row
}

/** Fields only the gemeente records (its own decisions and acts); a leverancier key giving one is a 400 naming it. */
function gemeenteOnly<T extends object> (scope: Scope, given: T, fields: ReadonlyArray<keyof T & string>): Problem[] {
  if (scope.leverancierId === null) return []
  return fields.filter((f) => given[f] !== undefined).map((name) => ({ name, reason: 'only the gemeente records this (a beheerder key)' }))
}

export async function recordOverleg (db: Kysely<Database>, contractId: string, o: { niveau: OverlegNiveau, datum: string, verslagOntvangenOp?: Instant | undefined, toelichting?: string | undefined }, scope: Scope, keyId: string | null): Promise<{ row: OverlegRow, created: boolean }> {
  await contractOf(db, contractId, scope)
  if (o.verslagOntvangenOp !== undefined && o.verslagOntvangenOp < startOfDate(o.datum, SLA_TIME_ZONE)) {
    throw invalid([{ name: 'verslagOntvangenOp', reason: `lies before the meeting's date ${o.datum}: a verslag follows its overleg` }])
  }
  return await addOverleg(db, { contract_id: contractId, niveau: o.niveau, datum: o.datum, verslag_ontvangen_op: date(o.verslagOntvangenOp), toelichting: o.toelichting ?? '', sleutel_id: keyId })
}

export interface NewRelease {
  kenmerk: string
  soort?: ReleaseSoort | undefined
  opTestOp?: Instant | undefined
  geaccepteerdOp?: Instant | undefined
  afgekeurdOp?: Instant | undefined
  beslotenDoor?: string | undefined
  inProductieVan?: Instant | undefined
  inProductieTot?: Instant | undefined
  toelichting?: string | undefined
}

/** A fact about a release (R-VPL-2); acceptance and rejection are the gemeente's to record. */
export async function recordRelease (db: Kysely<Database>, contractId: string, r: NewRelease, scope: Scope, keyId: string | null): Promise<{ row: ReleaseRow, created: boolean }> {
  await contractOf(db, contractId, scope)
  const problems = gemeenteOnly(scope, r, ['geaccepteerdOp', 'afgekeurdOp', 'beslotenDoor'])
  if ([r.opTestOp, r.geaccepteerdOp, r.afgekeurdOp, r.inProductieVan, r.inProductieTot].every((x) => x === undefined)) {
    problems.push({ name: 'opTestOp', reason: 'a record states at least one fact: opTestOp, geaccepteerdOp, afgekeurdOp, inProductieVan or inProductieTot' })
  }
  if (r.geaccepteerdOp !== undefined && r.afgekeurdOp !== undefined) problems.push({ name: 'afgekeurdOp', reason: 'one record either accepts or rejects' })
  if (r.inProductieVan !== undefined && r.inProductieTot !== undefined && r.inProductieTot < r.inProductieVan) problems.push({ name: 'inProductieTot', reason: 'lies before inProductieVan' })
  if (r.beslotenDoor !== undefined && r.geaccepteerdOp === undefined && r.afgekeurdOp === undefined) problems.push({ name: 'beslotenDoor', reason: 'goes with geaccepteerdOp or afgekeurdOp' })
  if (problems.length > 0) throw invalid(problems)
  return await addRelease(db, {
    contract_id: contractId, kenmerk: r.kenmerk, soort: r.soort ?? null, op_test_op: date(r.opTestOp), geaccepteerd_op: date(r.geaccepteerdOp), afgekeurd_op: date(r.afgekeurdOp),
    besloten_door: r.beslotenDoor ?? null, in_productie_van: date(r.inProductieVan), in_productie_tot: date(r.inProductieTot), toelichting: r.toelichting ?? '', sleutel_id: keyId
  })
}

export interface NewDocument {
  soort: DocumentSoort
  ontvangenOp: Instant
  jaar?: number | undefined
  type?: TpmType | undefined
  periodeVan?: string | undefined
  periodeTot?: string | undefined
  geldigTot?: string | undefined
  toelichting?: string | undefined
}

const DOCUMENT_FIELDS: Record<DocumentSoort, ReadonlyArray<keyof NewDocument>> = { upgradebeleid: ['jaar'], tpm: ['type', 'periodeVan', 'periodeTot'], iso27001: ['geldigTot'] }

/** A document received (R-VPL-1, R-VPL-4): each soort has its own fields, required there and refused elsewhere. */
export async function recordDocument (db: Kysely<Database>, contractId: string, d: NewDocument, scope: Scope, keyId: string | null): Promise<{ row: DocumentRow, created: boolean }> {
  await contractOf(db, contractId, scope)
  const problems: Problem[] = []
  for (const [soort, fields] of Object.entries(DOCUMENT_FIELDS)) {
    for (const f of fields) {
      if (soort === d.soort && d[f] === undefined) problems.push({ name: f, reason: `is required for a ${d.soort}` })
      if (soort !== d.soort && d[f] !== undefined) problems.push({ name: f, reason: `is only for a ${soort}, not a ${d.soort}` })
    }
  }
  if (d.periodeVan !== undefined && d.periodeTot !== undefined && d.periodeTot < d.periodeVan) problems.push({ name: 'periodeTot', reason: 'lies before periodeVan' })
  if (problems.length > 0) throw invalid(problems)
  return await addDocument(db, {
    contract_id: contractId, soort: d.soort, ontvangen_op: new Date(d.ontvangenOp), jaar: d.jaar ?? null, type: d.type ?? null,
    periode_van: d.periodeVan ?? null, periode_tot: d.periodeTot ?? null, geldig_tot: d.geldigTot ?? null, toelichting: d.toelichting ?? '', sleutel_id: keyId
  })
}

export interface NewExit { einddatum?: string | undefined, overbruggingAangevraagdOp?: Instant | undefined, overdrachtBevestigdOp?: Instant | undefined, vernietigingsverklaringOp?: Instant | undefined, toelichting?: string | undefined }

/** Exit milestones (R-VPL-6); the end date, the bridging request and the confirmed transfer are the gemeente's to record. */
export async function recordExit (db: Kysely<Database>, contractId: string, e: NewExit, scope: Scope, keyId: string | null): Promise<{ row: ExitMijlpaalRow, created: boolean }> {
  await contractOf(db, contractId, scope)
  const problems = gemeenteOnly(scope, e, ['einddatum', 'overbruggingAangevraagdOp', 'overdrachtBevestigdOp'])
  if ([e.einddatum, e.overbruggingAangevraagdOp, e.overdrachtBevestigdOp, e.vernietigingsverklaringOp].every((x) => x === undefined)) {
    problems.push({ name: 'einddatum', reason: 'a record gives at least one of einddatum, overbruggingAangevraagdOp, overdrachtBevestigdOp, vernietigingsverklaringOp' })
  }
  if (problems.length > 0) throw invalid(problems)
  return await addExitMijlpaal(db, {
    contract_id: contractId, einddatum: e.einddatum ?? null, overbrugging_aangevraagd_op: date(e.overbruggingAangevraagdOp), overdracht_bevestigd_op: date(e.overdrachtBevestigdOp),
    vernietigingsverklaring_op: date(e.vernietigingsverklaringOp), toelichting: e.toelichting ?? '', sleutel_id: keyId
  })
}

export async function overleggenPage (db: Kysely<Database>, contractId: string, page: Page, scope: Scope): Promise<{ rows: OverlegRow[], total: number }> {
  await contractOf(db, contractId, scope)
  return await overlegPage(db, contractId, page)
}
export async function releasesPage (db: Kysely<Database>, contractId: string, page: Page, scope: Scope): Promise<{ rows: ReleaseRow[], total: number }> {
  await contractOf(db, contractId, scope)
  return await releasePage(db, contractId, page)
}
export async function documentenPage (db: Kysely<Database>, contractId: string, page: Page, scope: Scope): Promise<{ rows: DocumentRow[], total: number }> {
  await contractOf(db, contractId, scope)
  return await documentPage(db, contractId, page)
}
export async function exitMijlpalenPage (db: Kysely<Database>, contractId: string, page: Page, scope: Scope): Promise<{ rows: ExitMijlpaalRow[], total: number }> {
  await contractOf(db, contractId, scope)
  return await exitPage(db, contractId, page)
}

/**
 * The contract's start for its obligations: the first version's geldigVanaf; when that is the
 * default 1970-01-01 (no start given), the date the contract was registered (README, R-VPL).
 */
export function contractStart (versions: readonly ContractNormenRow[], aangemaaktOp: Date): string {
  const first = [...versions].sort((a, b) => a.versie - b.versie)[0]
  return first === undefined || first.geldig_vanaf === '1970-01-01' ? dateOf(aangemaaktOp.getTime(), SLA_TIME_ZONE) : first.geldig_vanaf
}

/** The core's input from the stored records. */
export function invoerOf (start: string, r: Records): VerplichtingenInvoer {
  return {
    timeZone: SLA_TIME_ZONE,
    start,
    overleggen: r.overleggen.map((o) => ({ id: o.id, niveau: o.niveau, datum: o.datum, verslagOntvangenOp: ms(o.verslag_ontvangen_op) })),
    releases: r.releases.map((x) => ({ id: x.id, kenmerk: x.kenmerk, opTestOp: ms(x.op_test_op), geaccepteerdOp: ms(x.geaccepteerd_op), afgekeurdOp: ms(x.afgekeurd_op), inProductieVan: ms(x.in_productie_van), inProductieTot: ms(x.in_productie_tot) })),
    documenten: r.documenten.map((d) => ({ id: d.id, soort: d.soort, ontvangenOp: d.ontvangen_op.getTime(), jaar: d.jaar, type: d.type, periodeVan: d.periode_van, periodeTot: d.periode_tot, geldigTot: d.geldig_tot })),
    exit: r.exit.map((e) => ({ id: e.id, einddatum: e.einddatum, overbruggingAangevraagdOp: ms(e.overbrugging_aangevraagd_op), overdrachtBevestigdOp: ms(e.overdracht_bevestigd_op), vernietigingsverklaringOp: ms(e.vernietigingsverklaring_op) })),
    restoretests: r.restoretests.map((t) => ({ id: t.id, kenmerk: t.kenmerk, uitgevoerdOp: t.uitgevoerd_op.getTime(), resultaat: resultaatOf(t.resultaat) }))
  }
}

const resultaatOf = (s: string): 'geslaagd' | 'deels-geslaagd' | 'mislukt' => (s === 'geslaagd' || s === 'deels-geslaagd' ? s : 'mislukt')

export interface ContractVerplichting extends Verplichting { readonly contract: string, readonly contractNaam: string }
export interface VerplichtingFilter { status?: VerplichtingStatus | undefined, soort?: VerplichtingSoort | undefined }

/** Every obligation of some contracts at the peilmoment, each contract computed with the terms (extra closed days) in force then. */
async function compute (db: Kysely<Database>, contracts: ReadonlyArray<{ id: string, naam: string, aangemaakt_op: Date }>, peilmoment: Instant, f: VerplichtingFilter): Promise<ContractVerplichting[]> {
  const ids = contracts.map((c) => c.id)
  const [versions, records] = await Promise.all([versionsOf(db, ids), recordsOf(db, ids)])
  return contracts.flatMap((c) => {
    const rows = versions.get(c.id) ?? []
    const calendar = slaContext(versionInForce(rows.map(fromRow), peilmoment, SLA_TIME_ZONE)).calendar('kantooruren')
    const list = verplichtingenOp(invoerOf(contractStart(rows, c.aangemaakt_op), records.get(c.id) as Records), calendar, peilmoment)
    return list.filter((v) => (f.status === undefined || v.status === f.status) && (f.soort === undefined || v.soort === f.soort))
      .map((v) => ({ ...v, contract: c.id, contractNaam: c.naam }))
  })
}

const slice = <T>(all: T[], page: Page): { rows: T[], total: number } => ({ rows: all.slice(page.offset, page.offset + page.limit), total: all.length })

/** GET /contracten/{id}/verplichtingen: the contract's obligations at the peilmoment, the next due first. */
export async function contractVerplichtingen (db: Kysely<Database>, contractId: string, peilmoment: Instant, f: VerplichtingFilter, page: Page, scope: Scope): Promise<{ rows: ContractVerplichting[], total: number }> {
  const c = await contractOf(db, contractId, scope)
  return slice(await compute(db, [c], peilmoment, f), page)
}

/** GET /verplichtingen: the obligations of every contract the key may see (e.g. all `verlopen`), in the same order across contracts. */
export async function alleVerplichtingen (db: Kysely<Database>, peilmoment: Instant, f: VerplichtingFilter, page: Page, scope: Scope): Promise<{ rows: ContractVerplichting[], total: number }> {
  const all = await compute(db, await contractsInScope(db, scope), peilmoment, f)
  return slice(all.sort((a, b) => volgorde(a, b) || (a.contractNaam < b.contractNaam ? -1 : a.contractNaam > b.contractNaam ? 1 : 0) || (a.contract < b.contract ? -1 : 1)), page)
}

/**
 * The contract's obligations for its quarterly report, read at the quarter's end (or now, when
 * that is earlier), so that a final report depends on the recorded facts only; with the core's
 * input, which goes into the report's input hash.
 */
export async function verplichtingenVoorRapport (db: Kysely<Database>, contract: { id: string, aangemaakt_op: Date }, versions: readonly ContractNormenRow[], quarterEnd: Instant, now: Instant): Promise<{ lijst: Verplichting[], peilmoment: Instant, invoer: VerplichtingenInvoer }> {
  const peilmoment = Math.min(now, quarterEnd)
  const records = (await recordsOf(db, [contract.id])).get(contract.id) as Records
  const invoer = invoerOf(contractStart(versions, contract.aangemaakt_op), records)
  const calendar = slaContext(versionInForce(versions.map(fromRow), peilmoment, SLA_TIME_ZONE)).calendar('kantooruren')
  return { lijst: verplichtingenOp(invoer, calendar, peilmoment), peilmoment, invoer }
}
