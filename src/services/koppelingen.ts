import type { Kysely } from 'kysely'
import { getContract, type Scope } from '../adapters/db/contracten-repository.js'
import {
  addVertaling, failedBerichten, getBericht, getKoppeling, insertBericht, insertKoppeling, listBerichten, listKoppelingen,
  meldingByKenmerk, processedDelivery, renameKoppeling, snapshotContext, setResultaat, vertalingenOf
} from '../adapters/db/koppelingen-repository.js'
import type { BerichtRow, Database, KoppelingRow, MeldingRow } from '../adapters/db/schema.js'
import { decryptGeheim, encryptGeheim, generateGeheim } from '../adapters/security/geheimen.js'
import type { Instant } from '../core/index.js'
import { invalid, ServiceError } from './errors.js'
import {
  checkSignature, cut, keptHeaders, kopOf, STANDAARD_VERTALING, vertaalJira, vertaalTopdesk, vertaalZendesk,
  type Bron, type Headers, type Vertaald, type Vertaling
} from './koppeling-bronnen.js'
import { addEvents, createMelding } from './meldingen.js'

export type { Bron, Vertaling } from './koppeling-bronnen.js'
export { BRONNEN, STANDAARD_VERTALING } from './koppeling-bronnen.js'

/** No key to encrypt secrets with (PostgreSQL without SLA_GEHEIMEN_SLEUTEL): answered as 503. */
export class GeenSleutelError extends Error {
  override readonly name = 'GeenSleutelError'
  constructor () {
    super('koppelingen need SLA_GEHEIMEN_SLEUTEL on PostgreSQL (32 random bytes, e.g. openssl rand -hex 32): their secrets are stored encrypted with it')
  }
}

export interface VertalingVersie { versie: number, geldigVanaf: Instant, vertaling: Vertaling }
export interface KoppelingView { readonly row: KoppelingRow, readonly versies: readonly VertalingVersie[] }

/** A change of the translation: what is given replaces the latest version's, `statussen` per meaning. */
export type VertalingPatch = Partial<Omit<Vertaling, 'statussen'>> & { statussen?: Partial<Vertaling['statussen']> | undefined }

export function mergeVertaling (base: Vertaling, p: VertalingPatch | undefined): Vertaling {
  if (p === undefined) return base
  const out: Vertaling = { ...base, statussen: { ...base.statussen } }
  for (const [k, val] of Object.entries(p)) {
    if (val === undefined) continue
    if (k === 'statussen') Object.assign(out.statussen, Object.fromEntries(Object.entries(val as object).filter(([, x]) => x !== undefined)))
    else (out as unknown as Record<string, unknown>)[k] = val
  }
  return out
}

const MIN_GEHEIM = 24

async function viewsOf (db: Kysely<Database>, rows: readonly KoppelingRow[]): Promise<KoppelingView[]> {
  const versions = await vertalingenOf(db, rows.map((r) => r.id))
  return rows.map((row) => ({
    row,
    versies: (versions.get(row.id) ?? []).map((v) => ({ versie: v.versie, geldigVanaf: v.geldig_vanaf.getTime(), vertaling: v.vertaling as Vertaling }))
  }))
}

export async function koppelingView (db: Kysely<Database>, id: string, scope: Scope): Promise<KoppelingView> {
  const row = await getKoppeling(db, id, scope)
  if (row === undefined) throw new ServiceError('not-found', `koppeling ${id} does not exist, or this key may not see it`)
  return (await viewsOf(db, [row]))[0] as KoppelingView
}

export async function koppelingenList (db: Kysely<Database>, page: { offset: number, limit: number }, scope: Scope, contract: string | undefined): Promise<{ views: KoppelingView[], total: number }> {
  const { rows, total } = await listKoppelingen(db, page, scope, contract)
  return { views: await viewsOf(db, rows), total }
}

export const latest = (v: KoppelingView): Vertaling => (v.versies[v.versies.length - 1] as VertalingVersie).vertaling

/**
 * Makes a koppeling for a contract the key may use. The secret is given (24+ characters) or
 * made here; it is answered only now, and stored encrypted (never as plain text, never logged).
 */
export async function createKoppeling (
  db: Kysely<Database>, sleutel: Buffer | undefined,
  k: { contract: string, bron: Bron, naam: string, geheim?: string | undefined, vertaling?: VertalingPatch | undefined },
  scope: Scope, keyId: string | null, now: Instant
): Promise<{ view: KoppelingView, geheim: string }> {
  if (sleutel === undefined) throw new GeenSleutelError()
  if (k.geheim !== undefined && k.geheim.length < MIN_GEHEIM) throw invalid([{ name: 'geheim', reason: `must be at least ${MIN_GEHEIM} characters; leave it out to have one made` }])
  if (await getContract(db, k.contract, scope) === undefined) throw invalid([{ name: 'contract', reason: `contract ${k.contract} does not exist, or this key may not use it` }])
  const geheim = k.geheim ?? generateGeheim()
  const vertaling = mergeVertaling(STANDAARD_VERTALING[k.bron], k.vertaling)
  const row = await db.transaction().execute(async (trx) =>
    await insertKoppeling(trx, { contractId: k.contract, bron: k.bron, naam: k.naam, geheim: encryptGeheim(sleutel, geheim), keyId }, { geldigVanaf: new Date(now), vertaling }))
  return { view: await koppelingView(db, row.id, { leverancierId: null }), geheim }
}

/** Renames a koppeling and/or adds a version of its translation, in force from now on. */
export async function patchKoppeling (db: Kysely<Database>, id: string, p: { naam?: string | undefined, vertaling?: VertalingPatch | undefined }, scope: Scope, keyId: string | null, now: Instant): Promise<KoppelingView> {
  await db.transaction().execute(async (trx) => {
    const row = await getKoppeling(trx, id, scope, true)
    if (row === undefined) throw new ServiceError('not-found', `koppeling ${id} does not exist, or this key may not see it`)
    if (p.naam !== undefined) await renameKoppeling(trx, id, p.naam)
    if (p.vertaling !== undefined) {
      const versies = (await vertalingenOf(trx, [id])).get(id) ?? []
      const last = versies[versies.length - 1]
      if (last === undefined) throw new Error(`koppeling ${id} has no translation`)
      // Never two versions at one instant: a later one starts at least a millisecond after.
      const from = Math.max(now, last.geldig_vanaf.getTime() + 1)
      await addVertaling(trx, id, last.versie + 1, new Date(from), mergeVertaling(last.vertaling as Vertaling, p.vertaling), keyId)
    }
  })
  return await koppelingView(db, id, scope)
}

export type Ontvangst = { ok: false, reden: string } | { ok: true, bericht: BerichtRow }

/**
 * An inbound message: checked against the koppeling's secret on the raw bytes (nothing is
 * stored when it fails), stored as received, then processed; the outcome is on the stored row.
 */
export async function ontvang (db: Kysely<Database>, sleutel: Buffer | undefined, id: string, raw: Buffer, body: unknown, headers: Headers, now: Instant): Promise<Ontvangst> {
  const k = await getKoppeling(db, id, { leverancierId: null })
  // An unknown koppeling is answered like a bad signature: the answer tells nothing about which exist.
  if (k === undefined) return { ok: false, reden: 'unknown koppeling or bad signature' }
  if (sleutel === undefined) throw new GeenSleutelError()
  let geheim: string
  try {
    geheim = decryptGeheim(sleutel, k.geheim_versleuteld)
  } catch {
    throw new ServiceError('conflict', 'this koppeling\'s secret cannot be read with the current SLA_GEHEIMEN_SLEUTEL (was the key changed?)')
  }
  const why = checkSignature(k.bron as Bron, geheim, raw, headers, now)
  if (why !== undefined) return { ok: false, reden: why }
  const kop = kopOf(k.bron as Bron, body, headers, raw)
  const stored = await insertBericht(db, {
    koppelingId: k.id, ontvangenOp: new Date(now), levering: kop.levering, ticket: kop.ticket,
    volgorde: kop.volgorde === null ? null : new Date(kop.volgorde), headers: keptHeaders(headers),
    inhoud: raw.toString('utf8'), resultaat: 'fout', reden: 'in verwerking'
  })
  return { ok: true, bericht: await verwerk(db, k, stored, now) }
}

/** Processes one stored message with the latest translation and records its outcome. */
async function verwerk (db: Kysely<Database>, k: KoppelingRow, b: BerichtRow, now: Instant): Promise<BerichtRow> {
  const vertaling = latest((await viewsOf(db, [k]))[0] as KoppelingView)
  let outcome: { resultaat: 'verwerkt' | 'dubbel' | 'fout', reden: string | null }
  try {
    outcome = await translateAndApply(db, k, vertaling, b, now)
  } catch (err) {
    if (!(err instanceof ServiceError)) throw err
    const detail = err.invalidParams === undefined ? '' : `: ${err.invalidParams.map((p) => `${p.name} ${p.reason}`).join('; ')}`
    outcome = { resultaat: 'fout', reden: `${err.message}${detail}` }
  }
  return await setResultaat(db, b.id, outcome.resultaat, outcome.reden === null ? null : cut(outcome.reden, 4000), new Date(now))
}

async function translateAndApply (db: Kysely<Database>, k: KoppelingRow, v: Vertaling, b: BerichtRow, now: Instant): Promise<{ resultaat: 'verwerkt' | 'dubbel' | 'fout', reden: string | null }> {
  if (await processedDelivery(db, k.id, b.levering, b.id)) return { resultaat: 'dubbel', reden: `delivery ${b.levering} was processed before` }
  let body: unknown
  try { body = JSON.parse(b.inhoud) } catch { return { resultaat: 'fout', reden: 'the body is not JSON' } }
  let vertaald: Vertaald
  if (k.bron === 'jira') {
    vertaald = vertaalJira(v, body)
  } else {
    if (b.ticket === null || b.volgorde === null) {
      return { resultaat: 'fout', reden: k.bron === 'zendesk' ? 'missing detail.id or time' : 'missing the incident id or its modificationDate' }
    }
    const context = await snapshotContext(db, k.id, b.ticket, b.volgorde, b.id)
    const before = context.before === undefined ? undefined : JSON.parse(context.before.inhoud) as unknown
    const ouder = context.newer
    if (k.bron === 'zendesk') {
      if (ouder) return { resultaat: 'verwerkt', reden: 'older than the newest snapshot processed: changes nothing' }
      vertaald = vertaalZendesk(v, body, before)
    } else {
      vertaald = vertaalTopdesk(v, body, before, ouder)
    }
  }
  if (!vertaald.ok) return { resultaat: 'fout', reden: vertaald.reden }
  // What the tables cannot hold is a reason in the inbox, never a failed request.
  const tooLong = [vertaald.melding.kenmerk, ...vertaald.events.map((e) => e.kenmerk ?? '')].find((x) => x.length > 200)
  if (tooLong !== undefined) return { resultaat: 'fout', reden: `an id of the tool is too long to keep (${cut(tooLong, 80)}): at most 200 characters with its prefix` }
  for (const e of vertaald.events) if (e.toelichting !== undefined) e.toelichting = cut(e.toelichting, 4000)
  const melding = await ensureMelding(db, k, vertaald.melding, now)
  if (vertaald.events.length > 0) {
    await addEvents(db, melding.id, vertaald.events.map((e) => ({ ...e, bericht: b.id })), { leverancierId: null }, null, now)
  }
  return { resultaat: 'verwerkt', reden: vertaald.opmerking ?? null }
}

/** The ticket's melding: the one made from an earlier message, else a new one from this message. */
async function ensureMelding (db: Kysely<Database>, k: KoppelingRow, m: Extract<Vertaald, { ok: true }>['melding'], now: Instant): Promise<MeldingRow> {
  const found = await meldingByKenmerk(db, k.contract_id, m.kenmerk)
  if (found !== undefined) return found
  try {
    const { view } = await createMelding(db, { contract: k.contract_id, kenmerk: m.kenmerk, onderwerp: m.onderwerp, type: m.type, omgeving: m.omgeving, prioriteit: m.prioriteit, gemeldOp: m.gemeldOp }, { leverancierId: null }, null, now)
    return view.row
  } catch (err) {
    // Made at the same moment from another message of the ticket, with other values: use that one.
    const again = await meldingByKenmerk(db, k.contract_id, m.kenmerk)
    if (again !== undefined) return again
    throw err
  }
}

export async function berichtenList (db: Kysely<Database>, id: string, scope: Scope, resultaat: string | undefined, page: { offset: number, limit: number }): Promise<{ rows: BerichtRow[], total: number }> {
  await koppelingView(db, id, scope)
  return await listBerichten(db, id, resultaat, page)
}

/**
 * Processes failed messages again with the translation as it is now: one, or (berichtId
 * undefined) every failed one in the tool's order. Done ones are answered as they are: a repeat
 * never makes a second melding or event.
 */
export async function herverwerk (db: Kysely<Database>, id: string, berichtId: string | undefined, scope: Scope, now: Instant): Promise<BerichtRow[]> {
  const k = await getKoppeling(db, id, scope)
  if (k === undefined) throw new ServiceError('not-found', `koppeling ${id} does not exist, or this key may not see it`)
  let todo: BerichtRow[]
  if (berichtId === undefined) {
    todo = await failedBerichten(db, id)
  } else {
    const b = await getBericht(db, id, berichtId)
    if (b === undefined) throw new ServiceError('not-found', `bericht ${berichtId} of koppeling ${id} does not exist`)
    if (b.resultaat !== 'fout') return [b]
    todo = [b]
  }
  const out: BerichtRow[] = []
  for (const b of todo) out.push(await verwerk(db, k, b, now))
  return out
}
