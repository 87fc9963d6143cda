import { createHash, randomUUID } from 'node:crypto'
import { sql, type Kysely } from 'kysely'
import { getContract, versionsOf, type Scope } from '../adapters/db/contracten-repository.js'
import { getLeverancier } from '../adapters/db/leveranciers-repository.js'
import { getRapportage, listRapportages, meldingenTot, runBoundsOf } from '../adapters/db/rapportage-repository.js'
import { bronDeadlinesOf } from '../adapters/db/koppelingen-repository.js'
import { onderhoudOf, responseTimesByDay, uitsluitingenOf } from '../adapters/db/beschikbaarheid-repository.js'
import type { Database, RapportageRow } from '../adapters/db/schema.js'
import {
  buildRapport, computeSla, formatInstant, maandenVan, periodInterval, SLA_TIME_ZONE, vergelijkBron, versionInForce,
  type Instant, type RapportInhoud, type RapportMelding, type Restoretest, type VoorwaardenVersie
} from '../core/index.js'
import { VERSION } from '../version.js'
import { maandResultaat, monthReach } from './beschikbaarheid.js'
import { invalid, ServiceError } from './errors.js'
import { feitenOf } from './meldingen.js'
import { bronContext, fromRow, slaContext } from './voorwaarden.js'
import { verplichtingenVoorRapport } from './verplichtingen.js'
import { signaleerLos } from './signalen.js'

export interface Herkomst {
  softwareVersie: string
  /** The versions of the contract's terms the report used, and for what. */
  normen: Array<{ versie: number, geldigVanaf: string, gebruiktVoor: string[] }>
  /** SHA-256 of the inputs in a canonical form: the same inputs give the same hash. */
  invoerHash: string
  /** The instant the clocks were computed at: every event known then counts (R-KPI-1). */
  peilmoment: string
  aantallen: { meldingen: number, gebeurtenissen: number, diensten: number, restoretests: number }
}

/** The stored document: the report as made, with what it is about and where it came from. */
export interface RapportDocument extends RapportInhoud {
  id: string
  contract: string
  contractNaam: string
  leverancier: { id: string, naam: string }
  versie: number
  gegenereerdOp: string
  /** The quarter had not ended when it was made: later events may still change it. */
  voorlopig: boolean
  herkomst: Herkomst
}

/** The inputs in a canonical form (ordered, fixed fields: JSON, or the texts as read), fed to SHA-256 piece by piece. */
class InputHash {
  private readonly h = createHash('sha256')
  add (label: string, value: unknown): void { this.h.update(`${label}:${typeof value === 'string' ? value : JSON.stringify(value)}\n`) }
  digest (): string { return this.h.digest('hex') }
}

/**
 * Reads everything a contract's quarterly report needs and assembles it (pure core), with the
 * hash of those inputs. The clocks are computed at `now` over every event known (R-KPI-1).
 * A report is final once the first business second after the quarter has passed: a kantooruren
 * clock with a deadline or a progress update due at 18:00 on the quarter's last werkdag runs past
 * it only when the office opens again, and only then is that clock decided (in the quarter) or
 * the update missed. From then on a clock or update of the quarter is decided the same whenever
 * the report is made, so the same inputs give the same numbers; before it the report is
 * `voorlopig` and `now` is part of its inputs.
 */
export async function computeRapport (db: Kysely<Database>, contractId: string, periode: string, scope: Scope, now: Instant): Promise<Omit<RapportDocument, 'id' | 'versie' | 'gegenereerdOp'>> {
  const contract = await getContract(db, contractId, scope)
  if (contract === undefined) throw invalid([{ name: 'contract', reason: `contract ${contractId} does not exist, or this key may not use it` }])
  const interval = periodInterval(periode, SLA_TIME_ZONE)
  if (interval.start > now) throw invalid([{ name: 'periode', reason: `${periode} has not begun yet` }])
  const end = new Date(interval.end)
  const maanden = maandenVan(periode)
  const diensten = await db.selectFrom('dienst').selectAll().where('contract_id', '=', contractId).orderBy('id').execute()
  const dienstIds = diensten.map((d) => d.id)
  const maxInterval = Math.max(60_000, ...diensten.map((d) => d.meetinterval_ms))
  const first = monthReach(maanden[0] as string, maxInterval)
  const last = monthReach(maanden[2] as string, maxInterval)
  const [leverancier, versionRows, { rows: meldingen, texts: meldingTexts }, reeksen, responstijden, uitsluitingen, onderhoud, opgave, tests] = await Promise.all([
    getLeverancier(db, contract.leverancier_id),
    versionsOf(db, [contractId]),
    meldingenTot(db, contractId, new Date(interval.start), end),
    runBoundsOf(db, dienstIds, first.fromDay, last.toDay),
    responseTimesByDay(db, dienstIds, new Date(interval.start), end),
    uitsluitingenOf(db, dienstIds, { from: new Date(interval.start), to: end }),
    onderhoudOf(db, dienstIds, { from: new Date(interval.start), to: end }),
    db.selectFrom('gebruikersopgave').selectAll().where('contract_id', '=', contractId).where('periode', '=', periode)
      .orderBy('opgegeven_op', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst(),
    db.selectFrom('restoretest').selectAll().where('contract_id', '=', contractId)
      .where('uitgevoerd_op', '>=', new Date(interval.start)).where('uitgevoerd_op', '<', end).orderBy('uitgevoerd_op').orderBy('id').execute()
  ])
  const stored = versionRows.get(contractId) ?? []
  const versions: VoorwaardenVersie[] = stored.map(fromRow)
  const used = new Map<number, Set<string>>()
  const use = (v: VoorwaardenVersie, what: string): VoorwaardenVersie => {
    let s = used.get(v.versie)
    if (s === undefined) { s = new Set(); used.set(v.versie, s) }
    s.add(what)
    return v
  }

  const hash = new InputHash()
  hash.add('normen', stored.map((v) => ({ versie: v.versie, geldigVanaf: v.geldig_vanaf, normen: v.normen })))

  meldingTexts.forEach((text, i) => { hash.add(`meldingen-${i}`, text) })
  const prestatie = use(versionInForce(versions, interval.start, SLA_TIME_ZONE), 'prestatienorm')
  const final = slaContext(versionInForce(versions, interval.end, SLA_TIME_ZONE)).calendar('kantooruren').deadline(interval.end, 1000)
  const voorlopig = now < final
  hash.add('rapport', { contract: contractId, periode, peilmoment: voorlopig ? now : null })
  // What the ticket tools said of the deadlines (issue 12): part of the input, so of its hash.
  const claims = await bronDeadlinesOf(db, meldingen.map((m) => m.id))
  hash.add('bron', [...claims].sort((a, b) => a[0].localeCompare(b[0])).map(([id, list]) => [id, [...list].sort((x, y) => x.bronOp - y.bronOp || x.deadline - y.deadline || x.klok.localeCompare(y.klok))]))
  const rapportMeldingen = meldingen.map((m): RapportMelding => {
    const list = m.events
    const version = use(versionInForce(versions, m.gemeld_op, SLA_TIME_ZONE), 'meldingen')
    const feiten = feitenOf(m, list)
    const security = m.type === 'beveiligingsincident'
    const state = computeSla(feiten, slaContext(version), now)
    return {
      id: m.id,
      kenmerk: m.kenmerk,
      onderwerp: m.onderwerp,
      type: m.type,
      gemeldOp: m.gemeld_op,
      state,
      stateOpEinde: !security ? null : now <= interval.end ? state : computeSla(feiten, slaContext(version), interval.end),
      beveiliging: m.biv === null ? null : { biv: m.biv, major: m.major === true },
      gebeurtenissen: security ? list.map((e) => ({ type: e.type, op: e.op, status: e.status, toelichting: e.toelichting })) : [],
      bron: vergelijkBron(claims.get(m.id) ?? [], state, feiten.gemeldOp, bronContext(version, state))
    }
  })

  const maandResultaten = diensten.flatMap((d) => {
    const data = {
      reeksen: reeksen.get(d.id) ?? [],
      responstijden: responstijden.get(d.id) ?? [],
      uitsluitingen: uitsluitingen.filter((u) => u.dienst_id === d.id),
      onderhoud: onderhoud.filter((o) => o.dienst_id === d.id)
    }
    hash.add('d', [d.id, d.naam, d.omgeving, d.meetinterval_ms])
    hash.add('r', data.reeksen.map((r) => [r.van, r.tot, r.beschikbaar]))
    hash.add('u', data.responstijden.map((u) => [u.op, u.aantal, u.somMs, [...u.histogram].sort((a, b) => a[0] - b[0])]))
    hash.add('x', data.uitsluitingen.map((u) => [u.id, u.van.getTime(), u.tot.getTime(), u.reden]))
    hash.add('o', data.onderhoud.map((o) => [o.id, o.van.getTime(), o.tot.getTime(), o.soort, o.omgeving]))
    return maanden.map((maand) => {
      const { start } = monthReach(maand, d.meetinterval_ms)
      use(versionInForce(versions, start, SLA_TIME_ZONE), 'beschikbaarheidsnorm')
      return { dienst: { id: d.id, naam: d.naam, omgeving: d.omgeving }, resultaat: maandResultaat(d, maand, data, versions) }
    })
  })

  const restoretests = tests.map((t): Restoretest => ({
    id: t.id, kenmerk: t.kenmerk, uitgevoerdOp: t.uitgevoerd_op.getTime(), resultaat: t.resultaat, toelichting: t.toelichting, opvolging: t.opvolging
  }))
  const gebruikers = opgave === undefined
    ? null
    : { opgegevenOp: opgave.opgegeven_op.getTime(), gebruikers: opgave.gebruikers, rechten: opgave.rechten, gevolgen: opgave.gevolgen }
  hash.add('t', restoretests)
  const verplichtingen = await verplichtingenVoorRapport(db, contract, stored, interval.end, now)
  hash.add('verplichtingen', { peilmoment: verplichtingen.peilmoment, invoer: verplichtingen.invoer })
  hash.add('gebruikers', gebruikers === null ? null : { id: opgave?.id, ...gebruikers })

  const inhoud = buildRapport({
    periode, timeZone: SLA_TIME_ZONE, prestatienorm: prestatie.prestatienorm, meldingen: rapportMeldingen,
    maanden: maandResultaten, gebruikers, restoretests, verplichtingen
  })
  return {
    contract: contractId,
    contractNaam: contract.naam,
    leverancier: { id: contract.leverancier_id, naam: leverancier?.naam ?? '' },
    voorlopig,
    ...inhoud,
    herkomst: {
      softwareVersie: VERSION,
      normen: [...used].sort((a, b) => a[0] - b[0]).map(([versie, what]) => {
        const v = versions.find((x) => x.versie === versie) as VoorwaardenVersie
        return { versie, geldigVanaf: v.geldigVanaf, gebruiktVoor: [...what].sort() }
      }),
      invoerHash: hash.digest(),
      peilmoment: formatInstant(now),
      aantallen: { meldingen: meldingen.length, gebeurtenissen: meldingen.reduce((s, m) => s + m.events.length, 0), diensten: diensten.length, restoretests: tests.length }
    }
  }
}

/**
 * Generates and stores a report: a new versie per (contract, periode), numbered under a lock on
 * the contract row, so that concurrent generations get consecutive versions. The stored JSON text
 * is what every later read returns.
 */
export async function genereerRapportage (db: Kysely<Database>, contractId: string, periode: string, scope: Scope, keyId: string | null, now: Instant): Promise<{ id: string, inhoud: string, document: RapportDocument }> {
  const computed = await computeRapport(db, contractId, periode, scope, now)
  return await db.transaction().execute(async (trx) => {
    await sql`select id from contract where id = ${contractId} for update`.execute(trx)
    const last = await trx.selectFrom('rapportage').select((eb) => eb.fn.max('versie').as('v')).where('contract_id', '=', contractId).where('periode', '=', periode).executeTakeFirst()
    const id = randomUUID()
    const { contract, contractNaam, leverancier, voorlopig, herkomst, periode: quarter, ...inhoud } = computed
    const document: RapportDocument = {
      id, contract, contractNaam, leverancier, periode: quarter, versie: Number(last?.v ?? 0) + 1, gegenereerdOp: formatInstant(now), voorlopig, ...inhoud, herkomst
    }
    const text = JSON.stringify(document)
    await trx.insertInto('rapportage').values({
      id, contract_id: contractId, periode, versie: document.versie, gegenereerd_op: new Date(now), gegenereerd_door: keyId, invoer_hash: herkomst.invoerHash, inhoud: text
    }).execute()
    // Issue 14: a final report (its quarter has ended) is a `rapportage.definitief` signal.
    if (!voorlopig) await signaleerLos(trx, { sleutel: `rapportage.definitief:${id}`, soort: 'rapportage.definitief', contractId, op: now, kenmerken: { rapportage: id, periode: quarter, versie: String(document.versie) } }, now)
    return { id, inhoud: text, document }
  })
}

export type { RapportageRow } from '../adapters/db/schema.js'

/** The reports the scope may see, newest first, without their content. */
export async function rapportagesPage (db: Kysely<Database>, f: { contract?: string | undefined, periode?: string | undefined }, page: { offset: number, limit: number }, scope: Scope): Promise<{ rows: Array<Omit<RapportageRow, 'inhoud'>>, total: number }> {
  return await listRapportages(db, f, page, scope)
}

/** One stored report as it was made; another leverancier's is not found. */
export async function rapportageView (db: Kysely<Database>, id: string, scope: Scope): Promise<RapportageRow> {
  const row = await getRapportage(db, id, scope)
  if (row === undefined) throw new ServiceError('not-found', `rapportage ${id} does not exist, or this key may not see it`)
  return row
}
