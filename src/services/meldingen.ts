import type { Kysely, Transaction } from 'kysely'
import { getContract, versionsOf, type Scope } from '../adapters/db/contracten-repository.js'
import {
  eventsOf, getMelding, insertEventsLocked, insertMeldingOnce, listMeldingen, lockDueForClosing, lockMelding, readLocked, updateDerived,
  type MeldingFilters, type NewGebeurtenisRow
} from '../adapters/db/meldingen-repository.js'
import type { ContractNormenRow, Database, GebeurtenisRow, MeldingRow } from '../adapters/db/schema.js'
import {
  computeSla, effectivePriority, SLA_TIME_ZONE, vergelijkBron, versionInForce,
  type BronClaim, type BronVergelijking, type Gebeurtenis, type GebeurtenisType, type Instant, type MeldingFeiten, type MeldingStatus, type MeldingType,
  type BivAspect, type Omgeving, type Prioriteit, type SlaState, type Sluitreden, type VoorwaardenVersie
} from '../core/index.js'
import { invalid, ServiceError } from './errors.js'
import { bronContext, fromRow, slaContext } from './voorwaarden.js'
import { bronDeadlinesOf } from '../adapters/db/koppelingen-repository.js'
import { signaleer } from './signalen.js'

export interface MeldingView {
  readonly row: MeldingRow
  readonly events: readonly GebeurtenisRow[]
  readonly version: VoorwaardenVersie
  readonly feiten: MeldingFeiten
  readonly state: SlaState
  /** The ticket tool's own deadlines against ours (issue 12); empty when no tool stated one. */
  readonly bron: readonly BronVergelijking[]
}

/** What the clocks read of a stored melding and its events (rows, or the report's lighter reads). */
export interface StoredFeiten { gemeld_op: Date | number, type: MeldingType, omgeving: Omgeving, gevraagde_prioriteit: Prioriteit | null }
export interface StoredGebeurtenis { id: string, type: GebeurtenisType, op: Date | number, status: MeldingStatus | null, prioriteit: Prioriteit | null, sluitreden: Sluitreden | null, kenmerk: string | null }

const ms = (t: Date | number): number => (typeof t === 'number' ? t : t.getTime())

export function feitenOf (row: StoredFeiten, events: readonly StoredGebeurtenis[]): MeldingFeiten {
  return {
    gemeldOp: ms(row.gemeld_op),
    type: row.type,
    omgeving: row.omgeving,
    gevraagdePrioriteit: row.gevraagde_prioriteit ?? undefined,
    gebeurtenissen: events.map((e): Gebeurtenis => ({
      id: e.id,
      type: e.type,
      op: ms(e.op),
      status: e.status ?? undefined,
      prioriteit: e.prioriteit ?? undefined,
      sluitreden: e.sluitreden ?? undefined,
      kenmerk: e.kenmerk ?? undefined
    }))
  }
}

/** The view of a melding at a peilmoment, judged by the terms in force at its gemeldOp. */
/** The stored event, as the HTTP layer maps it (src/http/routes/meldingen). */
export type { GebeurtenisRow } from '../adapters/db/schema.js'

/**
 * Runs `fn` in the transaction `db` is, or in a new one: the koppelingen service processes a
 * message (its melding, its events and its outcome) in one transaction of its own.
 */
async function inTransaction<T> (db: Kysely<Database>, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? await fn(db as Transaction<Database>) : await db.transaction().execute(fn)
}

const meldingNotFound = (id: string): ServiceError => new ServiceError('not-found', `melding ${id} does not exist, or this key may not see it`)

/** Filters of a list of meldingen as the API gives them: instants, not dates. */
export type MeldingenFilter = Omit<MeldingFilters, 'gemeldVanaf' | 'gemeldTot' | 'metBronDeadline'> & {
  gemeldVanaf?: Instant | undefined
  gemeldTot?: Instant | undefined
  /** Only meldingen whose ticket tool states a deadline that differs from ours at the peilmoment. */
  afwijkend?: boolean | undefined
}

/** `afwijkend` is computed, not stored: the candidates (a tool stated a deadline) are computed in chunks of this many. */
const AFWIJKEND_CHUNK = 2_000

/**
 * A page of meldingen the scope may see, filtered by their current state, with their sla blocks
 * at `peil` (default now).
 */
export async function meldingenPage (db: Kysely<Database>, f: MeldingenFilter, page: { offset: number, limit: number }, scope: Scope, peil: Instant | undefined, now: Instant): Promise<{ views: MeldingView[], total: number }> {
  const { afwijkend, ...rest } = f
  const filters: MeldingFilters = {
    ...rest,
    gemeldVanaf: f.gemeldVanaf === undefined ? undefined : new Date(f.gemeldVanaf),
    gemeldTot: f.gemeldTot === undefined ? undefined : new Date(f.gemeldTot)
  }
  if (afwijkend === undefined) {
    const { rows, total } = await listMeldingen(db, filters, page, scope)
    return { views: await viewsOf(db, rows, peil, now), total }
  }
  // Whether a tool's deadline differs from ours is computed at the peilmoment, not stored: every
  // melding a tool stated a deadline for is computed (in chunks), then the page is cut.
  let total = 0
  const views: MeldingView[] = []
  for (let offset = 0; ; offset += AFWIJKEND_CHUNK) {
    const { rows } = await listMeldingen(db, { ...filters, metBronDeadline: true }, { offset, limit: AFWIJKEND_CHUNK }, scope)
    for (const v of await viewsOf(db, rows, peil, now)) {
      if (v.bron.some((b) => b.afwijkend) !== afwijkend) continue
      if (total >= page.offset && views.length < page.limit) views.push(v)
      total++
    }
    if (rows.length < AFWIJKEND_CHUNK) break
  }
  return { views, total }
}

/** The open prio 1 and 2 meldingen the scope may see, most urgent first (R-COM-3). */
export async function actieveVerstoringen (db: Kysely<Database>, page: { offset: number, limit: number }, scope: Scope, now: Instant): Promise<{ views: MeldingView[], total: number }> {
  return await meldingenPage(db, { maxPrioriteit: 2, actief: true, order: 'prioriteit' }, page, scope, undefined, now)
}

/** One melding the scope may see, with its sla block at `peil` (default now). */
export async function meldingAt (db: Kysely<Database>, id: string, scope: Scope, peil: Instant | undefined, now: Instant): Promise<MeldingView> {
  const row = await getMelding(db, id, scope)
  if (row === undefined) throw meldingNotFound(id)
  const [view] = await viewsOf(db, [row], peil, now)
  if (view === undefined) throw meldingNotFound(id)
  return view
}

/** The events of a melding the scope may see, in time order, without computing its clocks. */
export async function gebeurtenissenOf (db: Kysely<Database>, id: string, scope: Scope): Promise<GebeurtenisRow[]> {
  const row = await getMelding(db, id, scope)
  if (row === undefined) throw meldingNotFound(id)
  return (await eventsOf(db, [row.id])).get(row.id) ?? []
}

export function viewOf (row: MeldingRow, events: readonly GebeurtenisRow[], versions: readonly VoorwaardenVersie[], peil: Instant, claims: readonly BronClaim[] = []): MeldingView {
  const version = versionInForce(versions, row.gemeld_op.getTime(), SLA_TIME_ZONE)
  const feiten = feitenOf(row, events)
  const ctx = slaContext(version)
  const state = computeSla(feiten, ctx, peil)
  const bron = claims.length === 0 ? [] : vergelijkBron(claims, state, feiten.gemeldOp, bronContext(version, state))
  return { row, events, version, feiten, state, bron }
}

/** Views of many meldingen with three queries (events, terms, the tools' deadlines), whatever their number. */
export async function viewsOf (db: Kysely<Database>, rows: readonly MeldingRow[], peil: Instant | undefined, now: Instant): Promise<MeldingView[]> {
  const ids = rows.map((r) => r.id)
  const [events, versions, claims] = await Promise.all([eventsOf(db, ids), versionsOf(db, rows.map((r) => r.contract_id)), bronDeadlinesOf(db, ids)])
  return rows.map((r) => viewOf(r, events.get(r.id) ?? [], (versions.get(r.contract_id) ?? []).map(fromRow), peil ?? now, claims.get(r.id)))
}

/**
 * Recomputes the derived columns (status, priority, active, automatic closing) from all events
 * known, as of the later of now and the last event, so filters and the closing job see them.
 */
async function refresh (trx: Transaction<Database>, row: MeldingRow, now: Instant, known?: { events: readonly GebeurtenisRow[], versions: readonly ContractNormenRow[] }): Promise<MeldingView> {
  let list: readonly GebeurtenisRow[]
  let versionRows: readonly ContractNormenRow[]
  if (known === undefined) {
    const [events, versions] = await Promise.all([eventsOf(trx, [row.id]), versionsOf(trx, [row.contract_id])])
    list = events.get(row.id) ?? []
    versionRows = versions.get(row.contract_id) ?? []
  } else {
    list = known.events
    versionRows = known.versions
  }
  const versions = versionRows.map(fromRow)
  const latest = list.reduce((m, e) => Math.max(m, e.op.getTime()), now)
  const atLatest = viewOf(row, list, versions, latest)
  const { state } = atLatest
  const derived = {
    status: state.status,
    prioriteit: state.prioriteit,
    actief: state.status !== 'opgelost' && state.status !== 'gesloten',
    automatischSluitenOp: state.automatischSluitenOp === null ? null : new Date(state.automatischSluitenOp)
  }
  const unchanged = row.status === derived.status && row.prioriteit === derived.prioriteit && row.actief === derived.actief &&
    (row.automatisch_sluiten_op?.getTime() ?? null) === (derived.automatischSluitenOp?.getTime() ?? null)
  const updated = unchanged ? row : await updateDerived(trx, row.id, derived)
  // The view as of now (what the caller sees), from the same rows: no second read. The derived
  // columns do not enter the clocks, so when no event lies ahead of now it is the one above.
  const atNow = latest === now ? { ...atLatest, row: updated } : viewOf(updated, list, versions, now)
  // Issue 14: what holds now into the outbox, and the melding's next signal instant.
  await signaleer(trx, atNow, now)
  return atNow
}

export interface NewMelding {
  contract: string
  kenmerk: string
  onderwerp: string
  type: MeldingType
  omgeving: Omgeving
  prioriteit: Prioriteit | undefined
  gemeldOp: Instant
  /** SLA 7.3, only for a beveiligingsincident. */
  beveiliging?: { biv: readonly BivAspect[], major: boolean } | undefined
}

const bivKey = (biv: readonly string[] | null | undefined): string | undefined => biv == null ? undefined : [...biv].sort().join(',')

const SAME_FIELDS: ReadonlyArray<[keyof NewMelding, (r: MeldingRow) => unknown]> = [
  ['onderwerp', (r) => r.onderwerp], ['type', (r) => r.type], ['omgeving', (r) => r.omgeving],
  ['prioriteit', (r) => r.gevraagde_prioriteit ?? undefined], ['gemeldOp', (r) => r.gemeld_op.getTime()],
  ['beveiliging', (r) => r.biv === null ? undefined : `${bivKey(r.biv) ?? ''}|${String(r.major)}`]
]
const sameValue = (m: NewMelding, k: keyof NewMelding): unknown =>
  k === 'beveiliging' ? (m.beveiliging === undefined ? undefined : `${bivKey(m.beveiliging.biv) ?? ''}|${String(m.beveiliging.major)}`) : m[k]

/**
 * Registers a melding once per (contract, kenmerk). A repeat with the same values returns the
 * stored melding (`created: false`); one with other values is a conflict, never an overwrite:
 * corrections are events (R-PRI-7).
 */
export async function createMelding (db: Kysely<Database>, m: NewMelding, scope: Scope, keyId: string | null, now: Instant): Promise<{ view: MeldingView, created: boolean }> {
  if (m.type === 'verstoring' && m.prioriteit === undefined && m.omgeving === 'productie') {
    throw invalid([{ name: 'prioriteit', reason: 'a verstoring needs a prioriteit (table 3.2, R-PRI-2)' }])
  }
  if (m.beveiliging !== undefined && m.type !== 'beveiligingsincident') {
    throw invalid([{ name: 'beveiliging', reason: 'is only for a melding of type beveiligingsincident (SLA 7.3)' }])
  }
  const contract = await getContract(db, m.contract, scope)
  if (contract === undefined) throw invalid([{ name: 'contract', reason: `contract ${m.contract} does not exist, or this key may not use it` }])
  const result = await inTransaction(db, async (trx) => {
    const { row, created } = await insertMeldingOnce(trx, {
      contractId: m.contract, kenmerk: m.kenmerk, onderwerp: m.onderwerp, type: m.type, omgeving: m.omgeving,
      gevraagdePrioriteit: m.prioriteit ?? null, gemeldOp: new Date(m.gemeldOp),
      prioriteit: effectivePriority(m.type, m.omgeving, m.prioriteit).prioriteit, keyId,
      biv: m.beveiliging === undefined ? null : [...m.beveiliging.biv], major: m.beveiliging?.major ?? null
    })
    if (!created) {
      const differ = SAME_FIELDS.filter(([k, get]) => get(row) !== sameValue(m, k)).map(([k]) => k)
      if (differ.length > 0) {
        throw new ServiceError('conflict', `melding ${m.kenmerk} of this contract exists with other values (${differ.join(', ')}); corrections are events`)
      }
      return { row, created }
    }
    return { view: await refresh(trx, row, now), created }
  })
  if ('view' in result) return { view: result.view, created: true }
  const [view] = await viewsOf(db, [result.row], undefined, now)
  return { view: view as MeldingView, created: false }
}

export interface NewGebeurtenis {
  type: GebeurtenisType
  op: Instant
  status?: MeldingStatus | undefined
  prioriteit?: Prioriteit | undefined
  sluitreden?: Sluitreden | undefined
  toelichting?: string | undefined
  kenmerk?: string | undefined
  /** The koppeling message (bericht id) it was derived from; only the koppelingen service sets it. */
  bericht?: string | undefined
}

/** Per type what an event must and may carry; every problem of every event, by index. */
export function checkEvents (events: readonly NewGebeurtenis[], rol: string, prefix: (i: number) => string): Array<{ name: string, reason: string }> {
  const problems: Array<{ name: string, reason: string }> = []
  const seen = new Map<string, number>()
  events.forEach((e, i) => {
    const p = (field: string, reason: string): void => { problems.push({ name: `${prefix(i)}${field}`, reason }) }
    if (e.type === 'status' && e.status === undefined) p('status', 'is required for a status event')
    if (e.type !== 'status' && e.status !== undefined) p('status', 'is only for a status event')
    if (e.type === 'status' && e.status === 'gesloten' && e.sluitreden === undefined) p('sluitreden', 'is required when the status becomes gesloten (R-SLU-1)')
    if (e.sluitreden !== undefined && !(e.type === 'status' && e.status === 'gesloten')) p('sluitreden', 'is only for a status event to gesloten')
    if (e.sluitreden === 'workaround-geaccepteerd' && (e.toelichting ?? '').trim() === '') p('toelichting', 'must record the promised definitive fix for workaround-geaccepteerd (R-SLU-1)')
    if (e.type === 'prioriteit' && e.prioriteit === undefined) p('prioriteit', 'is required for a prioriteit event')
    if (e.type === 'prioriteit' && (e.toelichting ?? '').trim() === '') p('toelichting', 'a priority change needs its reason (R-PRI-5)')
    if (e.prioriteit !== undefined && e.type !== 'prioriteit' && e.type !== 'prioriteit-betwist') p('prioriteit', 'is only for prioriteit and prioriteit-betwist events')
    if ((e.type === 'prioriteit-betwist' || e.type === 'opmerking' || e.type === 'maatregel') && (e.toelichting ?? '').trim() === '') p('toelichting', `is required for a ${e.type} event`)
    if (e.type === 'prioriteit-betwist' && rol !== 'beheerder') p('type', 'only the gemeente (a beheerder key) disputes a priority (R-PRI-6)')
    if (e.kenmerk !== undefined) {
      const first = seen.get(e.kenmerk)
      if (first !== undefined) p('kenmerk', `repeats the kenmerk of event ${first}`)
      else seen.set(e.kenmerk, i)
    }
  })
  return problems
}

const SAME_EVENT: ReadonlyArray<[keyof NewGebeurtenis, (r: GebeurtenisRow) => unknown]> = [
  ['type', (r) => r.type], ['op', (r) => r.op.getTime()], ['status', (r) => r.status ?? undefined],
  ['prioriteit', (r) => r.prioriteit ?? undefined], ['sluitreden', (r) => r.sluitreden ?? undefined], ['toelichting', (r) => r.toelichting ?? undefined]
]

/**
 * Records events of a melding atomically: all or none. An event whose kenmerk the melding
 * already has is returned as stored (`created: false`); the same kenmerk with other values is a
 * conflict. Writes to one melding are serialised: the melding row is locked in a statement of its
 * own, and its events are read only after that, in the statement that inserts the new ones, so
 * the derived columns are recomputed from every event, whatever arrived at the same moment
 * (see `lockMelding`).
 */
export async function addEvents (db: Kysely<Database>, meldingId: string, events: readonly NewGebeurtenis[], scope: Scope, keyId: string | null, now: Instant): Promise<{ view: MeldingView, stored: Array<{ row: GebeurtenisRow, created: boolean }> }> {
  const out = await inTransaction(db, async (trx) => {
    const row = await lockMelding(trx, meldingId, scope)
    if (row === undefined) throw meldingNotFound(meldingId)
    const written = await insertEventsLocked(trx, row, events.map((e): NewGebeurtenisRow => ({
      kenmerk: e.kenmerk ?? null, type: e.type, op: new Date(e.op), status: e.status ?? null,
      prioriteit: e.prioriteit ?? null, sluitreden: e.sluitreden ?? null, toelichting: e.toelichting ?? null,
      ...(e.bericht === undefined ? {} : { bericht_id: e.bericht })
    })), keyId)
    const { stored } = written
    stored.forEach((s, i) => {
      if (s.created) return
      const e = events[i] as NewGebeurtenis
      const differ = SAME_EVENT.filter(([k, get]) => get(s.row) !== e[k]).map(([k]) => k)
      if (differ.length > 0) throw new ServiceError('conflict', `event ${e.kenmerk ?? ''} of this melding exists with other values (${differ.join(', ')}); nothing was stored`)
    })
    return { view: await refresh(trx, row, now, written), stored }
  })
  return { view: out.view, stored: out.stored }
}

export const CLOSING_KENMERK = 'sla-monitor:automatisch-sluiten'

/**
 * R-SLU-2: closes every melding whose automatic closing instant has passed, with a `status`
 * event `gesloten`, `geen-reactie`, at exactly that instant (so it catches up after downtime).
 * Rows are locked with SKIP LOCKED, and the event's kenmerk names the instant, so instances
 * running this together never close a melding twice. Like every writer it reads a melding's
 * events only after the statement that locked it, and recomputes from all of them.
 * @returns the ids it closed
 */
export async function closeDue (db: Kysely<Database>, now: Instant, batch = 100): Promise<string[]> {
  const closed: string[] = []
  for (;;) {
    const done = await db.transaction().execute(async (trx) => {
      const rows = await lockDueForClosing(trx, new Date(now), batch)
      for (const row of rows) {
        const known = await readLocked(trx, row)
        const { state } = viewOf(row, known.events, known.versions.map(fromRow), now)
        const at = state.automatischSluitenOp
        if (state.status !== 'opgelost' || at === null || at > now) {
          await refresh(trx, row, now, known)
          continue
        }
        const written = await insertEventsLocked(trx, row, [{
          kenmerk: `${CLOSING_KENMERK}:${new Date(at).toISOString()}`, type: 'status', op: new Date(at),
          status: 'gesloten', prioriteit: null, sluitreden: 'geen-reactie', toelichting: 'automatisch gesloten: 10 werkdagen geen reactie op de oplossing (R-SLU-2)'
        }], null)
        await refresh(trx, row, now, written)
        if (written.stored.some((x) => x.created)) closed.push(row.id)
      }
      return rows.length < batch
    })
    if (done) return closed
  }
}
