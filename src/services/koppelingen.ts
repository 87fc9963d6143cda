import { sql, type Kysely, type Transaction } from 'kysely'
import { getContract, type Scope } from '../adapters/db/contracten-repository.js'
import {
  addBronDeadlines, addVertaling, failedBerichten, getBericht, getKoppeling, insertBericht, insertKoppeling, listBerichten, listKoppelingen,
  lockBericht, lockKeys, meldingByKenmerk, processedDelivery, renameKoppeling, snapshotContext, setResultaat, vertalingenOf
} from '../adapters/db/koppelingen-repository.js'
import { databaseUnavailable } from '../adapters/db/unavailable.js'
import type { BerichtRow, Database, KoppelingRow, MeldingRow } from '../adapters/db/schema.js'
import { decryptGeheim, encryptGeheim, generateGeheim } from '../adapters/security/geheimen.js'
import type { Instant } from '../core/index.js'
import { invalid, ServiceError } from './errors.js'
import {
  checkSignature, cut, keptHeaders, kopOf, STANDAARD_VERTALING, vertaalJira, vertaalTopdesk, vertaalZendesk, volledig,
  type Bron, type Headers, type TicketMelding, type Vertaald, type Vertaling
} from './koppeling-bronnen.js'
import { addEvents, createMelding } from './meldingen.js'
import { signaleerLos } from './signalen.js'

export type { Bron, Vertaling } from './koppeling-bronnen.js'
export { BRONNEN, STANDAARD_VERTALING } from './koppeling-bronnen.js'

/** No key to encrypt secrets with (PostgreSQL without SLA_GEHEIMEN_SLEUTEL): answered as 503. */
export class GeenSleutelError extends Error {
  override readonly name = 'GeenSleutelError'
  constructor () {
    super('koppelingen need SLA_GEHEIMEN_SLEUTEL on PostgreSQL (32 random bytes, e.g. openssl rand -hex 32): their secrets are stored encrypted with it')
  }
}

/**
 * The koppeling's stored secret cannot be decrypted with the key this service has (the key was
 * changed or lost): answered as 503 to the tool, logged as an error for the operator.
 */
export class GeheimOnleesbaarError extends Error {
  override readonly name = 'GeheimOnleesbaarError'
  constructor (readonly koppelingId: string) {
    super(`the secret of koppeling ${koppelingId} cannot be read with the current SLA_GEHEIMEN_SLEUTEL (was the key changed?)`)
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
    versies: (versions.get(row.id) ?? []).map((v) => ({ versie: v.versie, geldigVanaf: v.geldig_vanaf.getTime(), vertaling: volledig(row.bron, v.vertaling as Partial<Vertaling>) }))
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
      await addVertaling(trx, id, last.versie + 1, new Date(from), mergeVertaling(volledig(row.bron, last.vertaling as Partial<Vertaling>), p.vertaling), keyId)
    }
  })
  return await koppelingView(db, id, scope)
}

export type Ontvangst = { ok: false, reden: string } | { ok: true, bericht: BerichtRow }

/**
 * An inbound message: checked against the koppeling's secret on the raw bytes (nothing is
 * stored when it fails; `reden` is for the log only, the caller answers every failure alike),
 * then stored and processed in one transaction, so the row is seen only with its outcome, and
 * after a crash nothing of it is left (the tool sends it again).
 */
export async function ontvang (db: Kysely<Database>, sleutel: Buffer | undefined, id: string, raw: Buffer, body: unknown, headers: Headers, now: Instant): Promise<Ontvangst> {
  const k = await getKoppeling(db, id, { leverancierId: null })
  if (k === undefined) return { ok: false, reden: 'unknown koppeling' }
  if (sleutel === undefined) throw new GeenSleutelError()
  let geheim: string
  try {
    geheim = decryptGeheim(sleutel, k.geheim_versleuteld)
  } catch {
    throw new GeheimOnleesbaarError(k.id)
  }
  const why = checkSignature(k.bron as Bron, geheim, raw, headers, now)
  if (why !== undefined) return { ok: false, reden: why }
  const kop = kopOf(k.bron as Bron, body, headers, raw)
  const bericht = await db.transaction().execute(async (trx) => {
    await lockKeys(trx, k.id, keysOf(kop))
    const stored = await insertBericht(trx, {
      koppelingId: k.id, ontvangenOp: new Date(now), levering: kop.levering, ticket: kop.ticket,
      volgorde: kop.volgorde === null ? null : new Date(kop.volgorde), headers: keptHeaders(headers),
      inhoud: raw.toString('utf8'), resultaat: 'fout', reden: 'in verwerking'
    })
    return await verwerk(trx, k, stored, now)
  })
  return { ok: true, bericht }
}

/** What processing a message is serialised on: its ticket and its delivery. */
const keysOf = (b: { ticket: string | null, levering: string }): string[] =>
  [`levering:${b.levering}`, ...(b.ticket === null ? [] : [`ticket:${b.ticket}`])]

const reasonOf = (err: unknown): string => {
  if (err instanceof ServiceError) {
    const detail = err.invalidParams === undefined ? '' : `: ${err.invalidParams.map((p) => `${p.name} ${p.reason}`).join('; ')}`
    return `${err.message}${detail}`
  }
  return err instanceof Error ? err.message : String(err)
}

/**
 * Processes one stored message with the latest translation and records its outcome, in the
 * caller's transaction, which holds the locks of the message's ticket and delivery (`lockKeys`):
 * what was processed before of the ticket is read only after they were granted. Any error but
 * the database being unavailable (a translation the core cannot compute, a conflict with a
 * melding made through the API) undoes what the message wrote and becomes its `fout` reason.
 */
async function verwerk (trx: Transaction<Database>, k: KoppelingRow, b: BerichtRow, now: Instant): Promise<BerichtRow> {
  const vertaling = latest((await viewsOf(trx, [k]))[0] as KoppelingView)
  await sql`savepoint verwerk`.execute(trx)
  try {
    const outcome = await translateAndApply(trx, k, vertaling, b, now)
    const row = await setResultaat(trx, b.id, outcome.resultaat, outcome.reden === null ? null : cut(outcome.reden, 4000), new Date(now))
    await sql`release savepoint verwerk`.execute(trx)
    return await foutSignaal(trx, k, row, now)
  } catch (err) {
    if (databaseUnavailable(err) !== undefined) throw err
    await sql`rollback to savepoint verwerk`.execute(trx)
    return await foutSignaal(trx, k, await setResultaat(trx, b.id, 'fout', cut(reasonOf(err), 4000), new Date(now)), now)
  }
}

/** Issue 14: a message that ended as `fout` is a `koppeling.fout` signal, once per message. */
async function foutSignaal (trx: Transaction<Database>, k: KoppelingRow, row: BerichtRow, now: Instant): Promise<BerichtRow> {
  if (row.resultaat === 'fout') {
    await signaleerLos(trx, { sleutel: `koppeling.fout:${row.id}`, soort: 'koppeling.fout', contractId: k.contract_id, op: now, kenmerken: { koppeling: k.id, bericht: row.id, ticket: row.ticket ?? '', reden: cut(row.reden ?? '', 500) } }, now)
  }
  return row
}

async function translateAndApply (db: Transaction<Database>, k: KoppelingRow, v: Vertaling, b: BerichtRow, now: Instant): Promise<{ resultaat: 'verwerkt' | 'dubbel' | 'fout', reden: string | null }> {
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
      vertaald = vertaalZendesk(v, body, before, context.after === undefined ? undefined : JSON.parse(context.after.inhoud) as unknown)
    } else {
      vertaald = vertaalTopdesk(v, body, before, ouder)
    }
  }
  if (!vertaald.ok) return { resultaat: 'fout', reden: vertaald.reden }
  // What the tables cannot hold is a reason in the inbox, never a failed request.
  const tooLong = [vertaald.kenmerk, ...vertaald.events.map((e) => e.kenmerk ?? '')].find((x) => x.length > 200)
  if (tooLong !== undefined) return { resultaat: 'fout', reden: `an id of the tool is too long to keep (${cut(tooLong, 80)}): at most 200 characters with its prefix` }
  for (const e of vertaald.events) if (e.toelichting !== undefined) e.toelichting = cut(e.toelichting, 4000)
  const melding = await ensureMelding(db, k, vertaald.kenmerk, vertaald.melding, now)
  if (melding === undefined) {
    return { resultaat: 'fout', reden: `ticket ${vertaald.kenmerk} has no melding yet and this message cannot make one (it lacks the ticket's creation date): reprocess it after the ticket's first message` }
  }
  if (vertaald.events.length > 0) {
    await addEvents(db, melding.id, vertaald.events.map((e) => ({ ...e, bericht: b.id })), { leverancierId: null }, null, now)
  }
  if (vertaald.deadlines.length > 0) await addBronDeadlines(db, melding.id, b.id, vertaald.bronOp, vertaald.deadlines)
  return { resultaat: 'verwerkt', reden: vertaald.opmerking ?? null }
}

/**
 * The ticket's melding: the one made from an earlier message, else a new one from this message;
 * undefined when there is none and this message cannot make one.
 */
async function ensureMelding (db: Transaction<Database>, k: KoppelingRow, kenmerk: string, m: TicketMelding | null, now: Instant): Promise<MeldingRow | undefined> {
  const found = await meldingByKenmerk(db, k.contract_id, kenmerk)
  if (found !== undefined || m === null) return found
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

/** At most this many failed messages are processed again in one call (the rest: call again). */
export const HERVERWERK_MAX = 100

/** One failed message processed again, under the locks of its ticket and delivery; others are answered as they are. */
async function herverwerkEen (db: Kysely<Database>, k: KoppelingRow, b: Pick<BerichtRow, 'id' | 'ticket' | 'levering'>, now: Instant): Promise<BerichtRow> {
  return await db.transaction().execute(async (trx) => {
    await lockKeys(trx, k.id, keysOf(b))
    const locked = await lockBericht(trx, k.id, b.id)
    if (locked === undefined) throw new Error(`bericht ${b.id} disappeared`)
    // Another call processed it meanwhile: a repeat never makes a second melding or event.
    if (locked.resultaat !== 'fout') return locked
    return await verwerk(trx, k, locked, now)
  })
}

async function koppelingOf (db: Kysely<Database>, id: string, scope: Scope): Promise<KoppelingRow> {
  const k = await getKoppeling(db, id, scope)
  if (k === undefined) throw new ServiceError('not-found', `koppeling ${id} does not exist, or this key may not see it`)
  return k
}

/**
 * Processes one failed message again with the translation as it is now. A message that is not
 * failed is answered as it is.
 */
export async function herverwerk (db: Kysely<Database>, id: string, berichtId: string, scope: Scope, now: Instant): Promise<BerichtRow> {
  const k = await koppelingOf(db, id, scope)
  const b = await getBericht(db, id, berichtId)
  if (b === undefined) throw new ServiceError('not-found', `bericht ${berichtId} of koppeling ${id} does not exist`)
  if (b.resultaat !== 'fout') return b
  return await herverwerkEen(db, k, b, now)
}

/**
 * Processes failed messages again, at most HERVERWERK_MAX per call: the least recently tried
 * first, those in the tool's order. Each message in a transaction of its own; one that fails
 * again keeps its (new) reason and the others go on. `resterend`: failed messages this call did
 * not try (call again for them).
 */
export async function herverwerkAlle (db: Kysely<Database>, id: string, scope: Scope, now: Instant): Promise<{ rows: BerichtRow[], resterend: number }> {
  const k = await koppelingOf(db, id, scope)
  const { ids, total } = await failedBerichten(db, id, HERVERWERK_MAX)
  const rows: BerichtRow[] = []
  for (const berichtId of ids) {
    const b = await getBericht(db, id, berichtId)
    if (b !== undefined) rows.push(await herverwerkEen(db, k, b, now))
  }
  return { rows, resterend: Math.max(0, total - ids.length) }
}
