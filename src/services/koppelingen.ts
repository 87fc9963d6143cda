import { createHash } from 'node:crypto'
import { DateTime } from 'luxon'
import { sql, type Kysely, type Transaction } from 'kysely'
import { getContract, type Scope } from '../adapters/db/contracten-repository.js'
import {
  addBronDeadlines, addVertaling, clearBodies, failedBerichten, firstOntvangen, getBericht, getKoppeling, insertBericht, insertKoppeling, listBerichten, listKoppelingen,
  lockBericht, lockKeys, meldingByKenmerk, metInhoud, ontvangenBerichten, processedDelivery, renameKoppeling, replaceGeheim, snapshotContext, setResultaat, tryLockKeys,
  vertalingenOf, type Wachtend
} from '../adapters/db/koppelingen-repository.js'
import { databaseUnavailable } from '../adapters/db/unavailable.js'
import type { BerichtBron, BerichtOpgeslagen, BerichtResultaat, BerichtRow, Database, KoppelingRow, MeldingRow } from '../adapters/db/schema.js'
import { decryptGeheim, encryptGeheim, generateGeheim } from '../adapters/security/geheimen.js'
import type { Instant } from '../core/index.js'
import { invalid, ServiceError } from './errors.js'
import {
  checkSignature, cut, keptHeaders, kopOf, STANDAARD_VERTALING, vertaalJira, vertaalTopdesk, vertaalZendesk, volledig,
  type Bron, type Headers, type TicketMelding, type Vertaald, type Vertaling
} from './koppeling-bronnen.js'
import { addEvents, createMelding } from './meldingen.js'
import { signaleerLos } from './signalen.js'
import { validTopdesk, type TopdeskInput } from './topdesk-toegang.js'
import { setTopdesk } from '../adapters/db/topdesk-repository.js'

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
  k: { contract: string, bron: Bron, naam: string, geheim?: string | undefined, vertaling?: VertalingPatch | undefined, topdesk?: TopdeskInput | undefined },
  scope: Scope, keyId: string | null, now: Instant
): Promise<{ view: KoppelingView, geheim: string }> {
  if (sleutel === undefined) throw new GeenSleutelError()
  if (k.geheim !== undefined && k.geheim.length < MIN_GEHEIM) throw invalid([{ name: 'geheim', reason: `must be at least ${MIN_GEHEIM} characters; leave it out to have one made` }])
  if (await getContract(db, k.contract, scope) === undefined) throw invalid([{ name: 'contract', reason: `contract ${k.contract} does not exist, or this key may not use it` }])
  if (k.topdesk !== undefined) validTopdesk(k.bron, k.topdesk, false)
  const geheim = k.geheim ?? generateGeheim()
  const vertaling = mergeVertaling(STANDAARD_VERTALING[k.bron], k.vertaling)
  const row = await db.transaction().execute(async (trx) => {
    const made = await insertKoppeling(trx, { contractId: k.contract, bron: k.bron, naam: k.naam, geheim: encryptGeheim(sleutel, geheim), keyId }, { geldigVanaf: new Date(now), vertaling })
    if (k.topdesk !== undefined) await setTopdeskOf(trx, sleutel, made.id, k.topdesk, null, now)
    return made
  })
  return { view: await koppelingView(db, row.id, { leverancierId: null }), geheim }
}

/** TOPdesk read access (issue 13): the application password encrypted like the secret; the reconciliation starts a day back. */
async function setTopdeskOf (trx: Transaction<Database>, sleutel: Buffer | undefined, id: string, t: TopdeskInput, cursor: Date | null, now: Instant): Promise<void> {
  const wachtwoord = t.applicatiewachtwoord === undefined || sleutel === undefined ? undefined : encryptGeheim(sleutel, t.applicatiewachtwoord)
  await setTopdesk(trx, id, { url: t.url, gebruiker: t.gebruiker, wachtwoord, filter: t.filter ?? null, cursor: cursor === null ? new Date(now - 24 * 3_600_000) : undefined })
}

/** How long the previous secret stays accepted after a replacement, unless the call says otherwise. */
export const STANDAARD_OVERLAP_MS = 24 * 3_600_000
/** At most this long (a week): an old secret must not linger. */
export const MAX_OVERLAP_MS = 7 * 24 * 3_600_000

/**
 * Replaces a koppeling's secret (given, 24+ characters, or made here), answered only now. The
 * previous one stays accepted for `overlapMs` (0: refused at once), so the tool can be switched
 * over without refused deliveries; a secret replaced before that is forgotten.
 */
export async function wisselGeheim (
  db: Kysely<Database>, sleutel: Buffer | undefined, id: string, w: { geheim?: string | undefined, overlapMs?: number | undefined }, scope: Scope, now: Instant
): Promise<{ view: KoppelingView, geheim: string, vorigGeldigTot: Instant }> {
  if (sleutel === undefined) throw new GeenSleutelError()
  if (w.geheim !== undefined && w.geheim.length < MIN_GEHEIM) throw invalid([{ name: 'geheim', reason: `must be at least ${MIN_GEHEIM} characters; leave it out to have one made` }])
  const overlap = w.overlapMs ?? STANDAARD_OVERLAP_MS
  if (overlap < 0 || overlap > MAX_OVERLAP_MS) throw invalid([{ name: 'overlap', reason: 'must be between PT0S and PT168H (a week)' }])
  const geheim = w.geheim ?? generateGeheim()
  await db.transaction().execute(async (trx) => {
    const row = await getKoppeling(trx, id, scope, true)
    if (row === undefined) throw new ServiceError('not-found', `koppeling ${id} does not exist, or this key may not see it`)
    await replaceGeheim(trx, id, encryptGeheim(sleutel, geheim), new Date(now + overlap), new Date(now))
  })
  return { view: await koppelingView(db, id, scope), geheim, vorigGeldigTot: now + overlap }
}

/** Renames a koppeling and/or adds a version of its translation, in force from now on. */
export async function patchKoppeling (db: Kysely<Database>, id: string, p: { naam?: string | undefined, vertaling?: VertalingPatch | undefined, topdesk?: TopdeskInput | undefined }, scope: Scope, keyId: string | null, now: Instant, sleutel?: Buffer): Promise<KoppelingView> {
  await db.transaction().execute(async (trx) => {
    const row = await getKoppeling(trx, id, scope, true)
    if (row === undefined) throw new ServiceError('not-found', `koppeling ${id} does not exist, or this key may not see it`)
    if (p.topdesk !== undefined) {
      validTopdesk(row.bron, p.topdesk, row.topdesk_wachtwoord_versleuteld !== null)
      if (sleutel === undefined && p.topdesk.applicatiewachtwoord !== undefined) throw new GeenSleutelError()
      await setTopdeskOf(trx, sleutel, id, p.topdesk, row.topdesk_cursor, now)
    }
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

export type { BerichtOpgeslagen, BerichtResultaat } from '../adapters/db/schema.js'

export type Ontvangst = { ok: false, reden: string } | { ok: true, bericht: BerichtOpgeslagen }

/** How inbound messages are processed (README, Configuration). */
export interface VerwerkingOpties {
  /**
   * The longest the answer to the tool waits for its message's processing (KOPPELING_ANTWOORD_MS):
   * done in time, the outcome; not, `ontvangen` and processing goes on. Absent: the answer waits
   * until processing is done (tests that check outcomes).
   */
  readonly antwoordMs?: number | undefined
  /** Store only and leave processing to the job (KOPPELING_VERWERKING=job: benchmarks, bulk loads). */
  readonly alleenOpslaan?: boolean | undefined
  /**
   * At most this many messages are processed at once by this instance (default 4); the others
   * wait their turn without holding a database connection, so that accepting messages (and the
   * other routes) keep connections of the pool.
   */
  readonly gelijktijdig?: number | undefined
  /** Tests: awaited when a message's processing has its turn, before it starts (to hold it up on PGlite). */
  readonly voorVerwerking?: ((berichtId: string) => Promise<void>) | undefined
  /**
   * Issue 13: a TOPdesk push that carries only the incident's id or number (a thin push), to a
   * koppeling with TOPdesk read access, is completed here instead of processed: the incident and
   * its trail are read and processed as a snapshot; resolves to the thin message's outcome.
   */
  readonly dunnePush?: ((k: KoppelingRow, b: BerichtOpgeslagen, body: unknown, now: Instant) => Promise<BerichtOpgeslagen>) | undefined
  /** Told of a processing that failed (the database): the message stays `ontvangen` for the job. */
  readonly bijFout?: ((err: unknown, berichtId: string) => void) | undefined
}

const sha256 = (raw: Buffer): string => createHash('sha256').update(raw).digest('hex')

/**
 * Inbound messages of one app instance: each is stored as `ontvangen` in a short transaction of its
 * own, then processed at once in another one (`verwerkTot`), which the answer waits for at most
 * `antwoordMs`. What is still being processed when the app closes is waited for (`sluit`); what a
 * crash leaves `ontvangen` is processed by the job (`verwerkAchtergebleven`).
 */
export class Berichtenverwerking {
  private readonly bezig = new Set<Promise<unknown>>()
  private lopend = 0
  private gesloten = false
  private readonly wachtrij: Array<() => void> = []

  constructor (private readonly db: Kysely<Database>, private readonly opts: VerwerkingOpties = {}) {}

  /**
   * An inbound message: checked against the koppeling's secret on the raw bytes (nothing is
   * stored when it fails; `reden` is for the log only, the caller answers every failure alike),
   * then stored, then processed. The answer is the message with its outcome when processing was
   * done within `antwoordMs`, else as `ontvangen`.
   */
  async ontvang (sleutel: Buffer | undefined, id: string, raw: Buffer, body: unknown, headers: Headers, now: Instant, verstreken: () => number = () => 0): Promise<Ontvangst> {
    const k = await getKoppeling(this.db, id, { leverancierId: null })
    if (k === undefined) return { ok: false, reden: 'unknown koppeling' }
    if (sleutel === undefined) throw new GeenSleutelError()
    const read = (stored: Uint8Array): string => {
      try {
        return decryptGeheim(sleutel, stored)
      } catch {
        throw new GeheimOnleesbaarError(k.id)
      }
    }
    let why = checkSignature(k.bron, read(k.geheim_versleuteld), raw, headers, now)
    // Just after a replacement the tool may still sign with the previous secret, until its term.
    if (why !== undefined && k.vorig_geheim_versleuteld !== null && k.vorig_geheim_tot !== null && now < k.vorig_geheim_tot.getTime()) {
      if (checkSignature(k.bron, read(k.vorig_geheim_versleuteld), raw, headers, now) === undefined) why = undefined
    }
    if (why !== undefined) return { ok: false, reden: why }
    const kop = kopOf(k.bron, body, headers, raw)
    // Stored on its own (one statement): from here on the message is the service's, whatever happens.
    const stored = await insertBericht(this.db, {
      koppelingId: k.id, ontvangenOp: new Date(now), levering: kop.levering, ticket: kop.ticket,
      volgorde: kop.volgorde === null ? null : new Date(kop.volgorde), headers: keptHeaders(headers),
      inhoud: raw.toString('utf8'), inhoudSha256: sha256(raw)
    })
    if (this.opts.alleenOpslaan === true) return { ok: true, bericht: stored }
    const { inhoud: _, ...wachtend } = stored
    const dun = this.opts.dunnePush
    const verwerking = dun !== undefined && k.bron === 'topdesk' && k.topdesk_url !== null && isDunnePush(body)
      ? this.opAchtergrond(wachtend.id, async () => await dun(k, stored, body, now))
      : this.verwerkOpAchtergrond(k, wachtend, now)
    if (this.opts.antwoordMs === undefined) return { ok: true, bericht: (await verwerking) ?? stored }
    // The budget counts from the request's arrival (`verstreken`), not from here.
    const budget = Math.max(0, this.opts.antwoordMs - verstreken())
    let timer: NodeJS.Timeout | undefined
    const tijd = new Promise<undefined>((resolve) => { timer = setTimeout(() => { resolve(undefined) }, budget) })
    const klaar = await Promise.race([verwerking, tijd])
    clearTimeout(timer)
    return { ok: true, bericht: klaar ?? stored }
  }

  /** Processes a stored message; resolves to its outcome, or undefined when the database failed (it stays `ontvangen`). */
  private async verwerkOpAchtergrond (k: KoppelingRow, b: Wachtend, now: Instant): Promise<BerichtOpgeslagen | undefined> {
    return await this.opAchtergrond(b.id, async () => await verwerkTot(this.db, k, b, now, true))
  }

  /** Runs the processing of a stored message in its turn (at most `gelijktijdig` at once). */
  private async opAchtergrond (berichtId: string, werk: () => Promise<BerichtOpgeslagen | undefined>): Promise<BerichtOpgeslagen | undefined> {
    const b = { id: berichtId }
    const p = (async () => {
      await this.beurt()
      try {
        // Closing: what has not started is left to the job (the next start runs it), so a shutdown is quick.
        if (this.gesloten) return undefined
        if (this.opts.voorVerwerking !== undefined) await this.opts.voorVerwerking(b.id)
        return await werk()
      } finally {
        // The turn passes to the next one waiting, or is given back.
        const next = this.wachtrij.shift()
        if (next !== undefined) next()
        else this.lopend--
      }
    })().catch((err: unknown) => { this.opts.bijFout?.(err, b.id); return undefined })
    this.bezig.add(p)
    void p.finally(() => { this.bezig.delete(p) })
    return await p
  }

  /** Resolves when this instance may start one more processing (at most `gelijktijdig` at once). */
  private async beurt (): Promise<void> {
    if (this.lopend < (this.opts.gelijktijdig ?? 4)) { this.lopend++; return }
    await new Promise<void>((resolve) => { this.wachtrij.push(resolve) })
  }

  /**
   * Shutdown: waits until the processing under way is done; messages still waiting for their turn
   * stay `ontvangen` for the job.
   */
  async sluit (): Promise<void> {
    this.gesloten = true
    while (this.bezig.size > 0) await Promise.allSettled([...this.bezig])
  }
}

/** A TOPdesk push with the incident's id or number but no modificationDate (issue 13: completed through the API). */
export function isDunnePush (body: unknown): boolean {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return false
  const b = body as Record<string, unknown>
  const inc = (b.incident !== null && typeof b.incident === 'object' && !Array.isArray(b.incident) ? b.incident : b) as Record<string, unknown>
  const has = (v: unknown): boolean => (typeof v === 'string' && v.trim() !== '') || typeof v === 'number'
  return !has(inc.modificationDate) && (has(inc.id) || has(inc.number))
}

/** Whether `a` comes before `b` in the tool's order of a ticket: its time (none: last), then arrival. */
const eerder = (a: Wachtend, b: Wachtend): boolean => {
  const [x, y] = [a.volgorde?.getTime() ?? Infinity, b.volgorde?.getTime() ?? Infinity]
  return x !== y ? x < y : BigInt(a.nr) < BigInt(b.nr)
}

/**
 * Processes a stored message, after the messages of its ticket that come before it in the tool's
 * order and are not processed yet (so a snapshot is always compared with the newest earlier one,
 * whichever request, instance or job gets there first). Each message in a transaction of its own
 * under the locks of its ticket and delivery, re-read there: one processed meanwhile is answered
 * as it is, so none is processed twice. `wachten` false (the job): a message whose locks another
 * transaction holds is left to it; undefined is answered.
 */
async function verwerkTot (db: Kysely<Database>, k: KoppelingRow, tot: Wachtend, now: Instant, wachten: boolean, geteld = { n: 0 }): Promise<BerichtOpgeslagen | undefined> {
  for (;;) {
    let next = tot
    if (tot.ticket !== null) {
      const first = await firstOntvangen(db, k.id, tot.ticket)
      if (first !== undefined && eerder(first, tot)) next = first
    }
    const row = await db.transaction().execute(async (trx) => {
      if (wachten) await lockKeys(trx, k.id, keysOf(next))
      else if (!await tryLockKeys(trx, k.id, keysOf(next))) return undefined
      const locked = await lockBericht(trx, k.id, next.id)
      if (locked === undefined) throw new Error(`bericht ${next.id} disappeared`)
      if (locked.resultaat !== 'ontvangen' || !metInhoud(locked)) return locked
      const out = await verwerk(trx, k, locked, now)
      geteld.n++
      return out
    })
    if (row === undefined || next.id === tot.id) return row
  }
}

/** At most this many messages left `ontvangen` are taken per round of the job. */
const ACHTERGEBLEVEN_PER_RONDE = 200

/**
 * The job: processes messages left `ontvangen` (a crash, a kill, a shutdown midway), per ticket in
 * the tool's order. Every instance may run it at once: a ticket another transaction is processing
 * (its advisory lock is held) is skipped this round, and each message is re-read under its locks,
 * so none is processed twice. Returns how many this call processed itself.
 */
export async function verwerkAchtergebleven (db: Kysely<Database>, now: Instant): Promise<number> {
  const koppelingen = new Map<string, KoppelingRow>()
  const geteld = { n: 0 }
  for (;;) {
    const rows = await ontvangenBerichten(db, ACHTERGEBLEVEN_PER_RONDE)
    const overgeslagen = new Set<string>()
    let voortgang = false
    for (const r of rows) {
      const ticket = `${r.koppeling_id}:${r.ticket ?? `bericht:${r.id}`}`
      if (overgeslagen.has(ticket)) continue
      let k = koppelingen.get(r.koppeling_id)
      if (k === undefined) {
        k = await getKoppeling(db, r.koppeling_id, { leverancierId: null })
        if (k === undefined) throw new Error(`koppeling ${r.koppeling_id} disappeared`)
        koppelingen.set(k.id, k)
      }
      const voor = geteld.n
      const out = await verwerkTot(db, k, r, now, false, geteld)
      if (out === undefined) overgeslagen.add(ticket)
      if (geteld.n > voor) voortgang = true
    }
    if (rows.length < ACHTERGEBLEVEN_PER_RONDE || !voortgang) return geteld.n
  }
}

/**
 * A snapshot read through the tool's API (issue 13: reconciliation, import, a thin push completed):
 * stored in the inbox like a push (marked `bron`), then processed at once the same way, after the
 * earlier messages of its ticket. Resolves to its outcome.
 */
export async function verwerkGelezen (db: Kysely<Database>, k: KoppelingRow, body: unknown, levering: string, bron: BerichtBron, now: Instant): Promise<BerichtOpgeslagen> {
  const raw = Buffer.from(JSON.stringify(body), 'utf8')
  const kop = kopOf(k.bron, body, {}, raw)
  const stored = await insertBericht(db, {
    koppelingId: k.id, ontvangenOp: new Date(now), levering, ticket: kop.ticket, volgorde: kop.volgorde === null ? null : new Date(kop.volgorde),
    headers: {}, inhoud: raw.toString('utf8'), inhoudSha256: sha256(raw), bron
  })
  const { inhoud: _, ...wachtend } = stored
  return await verwerkTot(db, k, wachtend, now, true) ?? stored
}

/** Raw bodies are kept this many months by default (BERICHTEN_BEWAARTERMIJN_MAANDEN). */
export const STANDAARD_BEWAARTERMIJN_MAANDEN = 13

/** Until when a message's body is kept: its arrival plus the term, in calendar months (UTC). */
export const bewaardTot = (ontvangenOp: Date, maanden: number): Instant =>
  DateTime.fromJSDate(ontvangenOp, { zone: 'utc' }).plus({ months: maanden }).toMillis()

/**
 * The retention job: clears the bodies of messages received more than `maanden` months before
 * `now` (their SHA-256, headers and outcome stay; a message still `ontvangen` waits until it is
 * processed), in batches, rows another instance holds left for the next run. Returns how many.
 */
export async function schoonBerichtenOp (db: Kysely<Database>, now: Instant, maanden: number): Promise<number> {
  const voor = DateTime.fromMillis(now, { zone: 'utc' }).minus({ months: maanden }).toJSDate()
  let total = 0
  for (;;) {
    const n = await clearBodies(db, voor, new Date(now), 500)
    total += n
    if (n < 500) return total
  }
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
async function verwerk (trx: Transaction<Database>, k: KoppelingRow, b: BerichtRow, now: Instant): Promise<BerichtOpgeslagen> {
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
async function foutSignaal (trx: Transaction<Database>, k: KoppelingRow, row: BerichtOpgeslagen, now: Instant): Promise<BerichtOpgeslagen> {
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

export async function berichtenList (db: Kysely<Database>, id: string, scope: Scope, resultaat: BerichtResultaat | undefined, page: { offset: number, limit: number }): Promise<{ rows: BerichtOpgeslagen[], total: number }> {
  await koppelingView(db, id, scope)
  return await listBerichten(db, id, resultaat, page)
}

/** At most this many failed messages are processed again in one call (the rest: call again). */
export const HERVERWERK_MAX = 100

const opgeschoond = (b: BerichtOpgeslagen): ServiceError => new ServiceError('conflict',
  `bericht ${b.id} cannot be processed again: its body was cleared on ${b.opgeschoond_op?.toISOString() ?? '?'} after the retention term (only its SHA-256 and outcome are kept); the tool must send the ticket again`)

/** One failed message processed again, under the locks of its ticket and delivery; others are answered as they are. */
async function herverwerkEen (db: Kysely<Database>, k: KoppelingRow, b: Pick<BerichtOpgeslagen, 'id' | 'ticket' | 'levering'>, now: Instant): Promise<BerichtOpgeslagen> {
  return await db.transaction().execute(async (trx) => {
    await lockKeys(trx, k.id, keysOf(b))
    const locked = await lockBericht(trx, k.id, b.id)
    if (locked === undefined) throw new Error(`bericht ${b.id} disappeared`)
    // Another call processed it meanwhile: a repeat never makes a second melding or event.
    if (locked.resultaat !== 'fout') return locked
    if (!metInhoud(locked)) throw opgeschoond(locked)
    return await verwerk(trx, k, locked, now)
  })
}

async function koppelingOf (db: Kysely<Database>, id: string, scope: Scope): Promise<KoppelingRow> {
  const k = await getKoppeling(db, id, scope)
  if (k === undefined) throw new ServiceError('not-found', `koppeling ${id} does not exist, or this key may not see it`)
  return k
}

/**
 * Processes one failed message again with the translation as it is now. One still `ontvangen`
 * is processed now (after the earlier ones of its ticket, as the job would). A message that is
 * processed is answered as it is; one whose body was cleared after the retention term is a
 * conflict (409).
 */
export async function herverwerk (db: Kysely<Database>, id: string, berichtId: string, scope: Scope, now: Instant): Promise<BerichtOpgeslagen> {
  const k = await koppelingOf(db, id, scope)
  const b = await getBericht(db, id, berichtId)
  if (b === undefined) throw new ServiceError('not-found', `bericht ${berichtId} of koppeling ${id} does not exist`)
  if (b.resultaat === 'ontvangen') return await verwerkTot(db, k, b, now, true) ?? b
  if (b.resultaat !== 'fout') return b
  if (!metInhoud(b)) throw opgeschoond(b)
  return await herverwerkEen(db, k, b, now)
}

/**
 * Processes failed messages again, at most HERVERWERK_MAX per call: the least recently tried
 * first, those in the tool's order. Each message in a transaction of its own; one that fails
 * again keeps its (new) reason and the others go on. `resterend`: failed messages this call did
 * not try (call again for them). Messages whose body was cleared are not tried, nor counted.
 */
export async function herverwerkAlle (db: Kysely<Database>, id: string, scope: Scope, now: Instant): Promise<{ rows: BerichtOpgeslagen[], resterend: number }> {
  const k = await koppelingOf(db, id, scope)
  const { ids, total } = await failedBerichten(db, id, HERVERWERK_MAX)
  const rows: BerichtOpgeslagen[] = []
  for (const berichtId of ids) {
    const b = await getBericht(db, id, berichtId)
    if (b === undefined) continue
    try {
      rows.push(await herverwerkEen(db, k, b, now))
    } catch (err) {
      // Cleared meanwhile by the retention job: answered as it is.
      if (err instanceof ServiceError && err.kind === 'conflict') rows.push(b)
      else throw err
    }
  }
  return { rows, resterend: Math.max(0, total - ids.length) }
}
