import { sql, type Kysely, type Transaction } from 'kysely'
import type { Scope } from './contracten-repository.js'
import type { Bron, BronClaim, BronKlok } from '../../core/index.js'
import type { BerichtBron, BerichtOpgeslagen, BerichtResultaat, BerichtRow, Database, KoppelingRow, KoppelingVertalingRow, MeldingRow } from './schema.js'

type Db = Kysely<Database> | Transaction<Database>

export async function insertKoppeling (trx: Transaction<Database>, k: { contractId: string, bron: Bron, naam: string, geheim: Buffer, keyId: string | null }, vertaling: { geldigVanaf: Date, vertaling: unknown }): Promise<KoppelingRow> {
  const row = await trx.insertInto('koppeling').values({ contract_id: k.contractId, bron: k.bron, naam: k.naam, geheim_versleuteld: k.geheim, aangemaakt_door: k.keyId }).returningAll().executeTakeFirstOrThrow()
  await trx.insertInto('koppeling_vertaling').values({ koppeling_id: row.id, versie: 1, geldig_vanaf: vertaling.geldigVanaf, vertaling: JSON.stringify(vertaling.vertaling), aangemaakt_door: k.keyId }).execute()
  return row
}

/** A koppeling the scope may see (a leverancier: only those of its own contracts). */
export async function getKoppeling (db: Db, id: string, scope: Scope, lock = false): Promise<KoppelingRow | undefined> {
  let q = db.selectFrom('koppeling').selectAll('koppeling').where('koppeling.id', '=', id)
  if (scope.leverancierId !== null) {
    q = q.where('koppeling.contract_id', 'in', db.selectFrom('contract').select('id').where('leverancier_id', '=', scope.leverancierId))
  }
  return await (lock ? q.forUpdate() : q).executeTakeFirst()
}

export async function listKoppelingen (db: Db, page: { offset: number, limit: number }, scope: Scope, contract: string | undefined): Promise<{ rows: KoppelingRow[], total: number }> {
  let q = db.selectFrom('koppeling')
  if (scope.leverancierId !== null) q = q.where('contract_id', 'in', db.selectFrom('contract').select('id').where('leverancier_id', '=', scope.leverancierId))
  if (contract !== undefined) q = q.where('contract_id', '=', contract)
  const [rows, count] = await Promise.all([
    q.selectAll().orderBy('aangemaakt_op').orderBy('id').offset(page.offset).limit(page.limit).execute(),
    q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
  ])
  return { rows, total: Number(count.n) }
}

/** Replaces the secret; the current one stays accepted until `vorigTot` (an earlier previous one is forgotten). */
export async function replaceGeheim (trx: Transaction<Database>, id: string, geheim: Buffer, vorigTot: Date, op: Date): Promise<void> {
  await trx.updateTable('koppeling').set((eb) => ({
    vorig_geheim_versleuteld: eb.ref('geheim_versleuteld'), vorig_geheim_tot: vorigTot, geheim_versleuteld: geheim, geheim_gewisseld_op: op
  })).where('id', '=', id).execute()
}

export async function renameKoppeling (trx: Transaction<Database>, id: string, naam: string): Promise<void> {
  await trx.updateTable('koppeling').set({ naam }).where('id', '=', id).execute()
}

export async function vertalingenOf (db: Db, ids: readonly string[]): Promise<Map<string, KoppelingVertalingRow[]>> {
  const out = new Map<string, KoppelingVertalingRow[]>()
  for (const id of ids) out.set(id, [])
  if (ids.length === 0) return out
  const rows = await db.selectFrom('koppeling_vertaling').selectAll().where('koppeling_id', 'in', [...new Set(ids)]).orderBy('koppeling_id').orderBy('versie').execute()
  for (const r of rows) out.get(r.koppeling_id)?.push(r)
  return out
}

export async function addVertaling (trx: Transaction<Database>, id: string, versie: number, geldigVanaf: Date, vertaling: unknown, keyId: string | null): Promise<void> {
  await trx.insertInto('koppeling_vertaling').values({ koppeling_id: id, versie, geldig_vanaf: geldigVanaf, vertaling: JSON.stringify(vertaling), aangemaakt_door: keyId }).execute()
}

export interface NewBericht {
  koppelingId: string
  ontvangenOp: Date
  levering: string
  ticket: string | null
  volgorde: Date | null
  headers: Record<string, string>
  inhoud: string
  /** SHA-256 (hex) of the raw body. */
  inhoudSha256: string
  /** Read through the tool's API (issue 13) rather than pushed. */
  bron?: BerichtBron | undefined
}

/** Stores a message as received: `ontvangen`, not processed yet. */
export async function insertBericht (db: Db, b: NewBericht): Promise<BerichtRow> {
  const row = await db.insertInto('bericht').values({
    koppeling_id: b.koppelingId, ontvangen_op: b.ontvangenOp, levering: b.levering, ticket: b.ticket, volgorde: b.volgorde,
    headers: JSON.stringify(b.headers), inhoud: b.inhoud, inhoud_sha256: b.inhoudSha256, resultaat: 'ontvangen', reden: null, verwerkt_op: null,
    ...(b.bron === undefined ? {} : { bron: b.bron })
  }).returningAll().executeTakeFirstOrThrow()
  return { ...row, inhoud: b.inhoud }
}

export async function setResultaat (db: Db, id: string, resultaat: Exclude<BerichtResultaat, 'ontvangen'>, reden: string | null, op: Date): Promise<BerichtOpgeslagen> {
  return await db.updateTable('bericht').set({ resultaat, reden, verwerkt_op: op }).where('id', '=', id).returningAll().executeTakeFirstOrThrow()
}

/** Whether the message still has its body (it was not cleared after the retention term). */
export const metInhoud = (b: BerichtOpgeslagen): b is BerichtRow => b.inhoud !== null

export async function getBericht (db: Db, koppelingId: string, id: string): Promise<BerichtOpgeslagen | undefined> {
  return await db.selectFrom('bericht').selectAll().where('koppeling_id', '=', koppelingId).where('id', '=', id).executeTakeFirst()
}

/** Whether another message of this koppeling with this delivery id was processed. */
export async function processedDelivery (db: Db, koppelingId: string, levering: string, except: string): Promise<boolean> {
  const r = await db.selectFrom('bericht').select('id').where('koppeling_id', '=', koppelingId).where('levering', '=', levering)
    .where('resultaat', '=', 'verwerkt').where('id', '<>', except).limit(1).executeTakeFirst()
  return r !== undefined
}

/**
 * For a snapshot of a ticket at `at` (the tool's time): the newest processed one not after it
 * (to compare with), and whether a processed one is newer. Two index reads, whatever the history.
 */
export async function snapshotContext (db: Db, koppelingId: string, ticket: string, at: Date, except: string): Promise<{ before: BerichtRow | undefined, after: BerichtRow | undefined, newer: boolean }> {
  const base = db.selectFrom('bericht').where('koppeling_id', '=', koppelingId).where('ticket', '=', ticket)
    .where('resultaat', '=', 'verwerkt').where('id', '<>', except)
  // A snapshot whose body was cleared (retention) cannot be compared with: the newest kept one is.
  const kept = base.selectAll().where('inhoud', 'is not', null).$narrowType<{ inhoud: string }>()
  const [before, after, newer] = await Promise.all([
    kept.where('volgorde', '<=', at).orderBy('volgorde', 'desc').orderBy('ontvangen_op', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst(),
    kept.where('volgorde', '>', at).orderBy('volgorde', 'asc').orderBy('ontvangen_op', 'asc').orderBy('id', 'asc').limit(1).executeTakeFirst(),
    base.select('id').where('volgorde', '>', at).limit(1).executeTakeFirst()
  ])
  return { before, after, newer: newer !== undefined }
}

export async function listBerichten (db: Db, koppelingId: string, resultaat: BerichtResultaat | undefined, page: { offset: number, limit: number }): Promise<{ rows: BerichtOpgeslagen[], total: number }> {
  let q = db.selectFrom('bericht').where('koppeling_id', '=', koppelingId)
  if (resultaat !== undefined) q = q.where('resultaat', '=', resultaat)
  const [rows, count] = await Promise.all([
    q.selectAll().orderBy('ontvangen_op').orderBy('nr').offset(page.offset).limit(page.limit).execute(),
    q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
  ])
  return { rows, total: Number(count.n) }
}

/**
 * At most `limit` failed messages of a koppeling (ids only), the least recently tried first and
 * of those in the tool's order, and how many failed ones there are in all.
 */
export async function failedBerichten (db: Db, koppelingId: string, limit: number): Promise<{ ids: string[], total: number }> {
  // A message whose body was cleared (retention) cannot be processed again.
  const q = db.selectFrom('bericht').where('koppeling_id', '=', koppelingId).where('resultaat', '=', 'fout').where('inhoud', 'is not', null)
  const [rows, count] = await Promise.all([
    q.select(['id', 'verwerkt_op', 'volgorde', 'ontvangen_op']).orderBy('verwerkt_op').orderBy('volgorde').orderBy('ontvangen_op').orderBy('id').limit(limit).execute(),
    q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
  ])
  const order = (r: typeof rows[number]): number[] => [r.volgorde?.getTime() ?? Number.MAX_SAFE_INTEGER, r.ontvangen_op.getTime()]
  rows.sort((a, b) => { const [x, y] = [order(a), order(b)]; return (x[0] as number) - (y[0] as number) || (x[1] as number) - (y[1] as number) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) })
  return { ids: rows.map((r) => r.id), total: Number(count.n) }
}

/** A message locked for update (reprocessing), as it is now. */
export async function lockBericht (trx: Transaction<Database>, koppelingId: string, id: string): Promise<BerichtOpgeslagen | undefined> {
  return await trx.selectFrom('bericht').selectAll().where('koppeling_id', '=', koppelingId).where('id', '=', id).forUpdate().executeTakeFirst()
}

/**
 * Serialises the processing of messages of one ticket and of one delivery of a koppeling: a
 * transaction-scoped advisory lock per key, taken one statement at a time in sorted order (so
 * two transactions never wait on each other crosswise), held until commit or rollback. Works on
 * PostgreSQL and PGlite; on several instances alike.
 */
export async function lockKeys (trx: Transaction<Database>, koppelingId: string, keys: readonly string[]): Promise<void> {
  for (const key of [...new Set(keys)].sort()) {
    await sql`select pg_advisory_xact_lock(hashtext(${`${koppelingId}:${key}`}))`.execute(trx)
  }
}

/**
 * The same locks as `lockKeys`, without waiting: false when another transaction holds one (the
 * ones taken so far are then held until this transaction ends; the caller ends it at once).
 */
export async function tryLockKeys (trx: Transaction<Database>, koppelingId: string, keys: readonly string[]): Promise<boolean> {
  for (const key of [...new Set(keys)].sort()) {
    const r = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(hashtext(${`${koppelingId}:${key}`})) as ok`.execute(trx)
    if (r.rows[0]?.ok !== true) return false
  }
  return true
}

/** What processing needs of a message to take its locks and keep the tool's order. */
export type Wachtend = Pick<BerichtOpgeslagen, 'id' | 'koppeling_id' | 'ticket' | 'levering' | 'volgorde' | 'nr'>

const WACHTEND = ['id', 'koppeling_id', 'ticket', 'levering', 'volgorde', 'nr'] as const

/**
 * The first message of a ticket not processed yet, in the tool's order (its time, then arrival;
 * messages without a time last, by arrival).
 */
export async function firstOntvangen (db: Db, koppelingId: string, ticket: string): Promise<Wachtend | undefined> {
  return await db.selectFrom('bericht').select(WACHTEND).where('koppeling_id', '=', koppelingId).where('ticket', '=', ticket)
    .where('resultaat', '=', 'ontvangen').orderBy(sql`volgorde asc nulls last`).orderBy('nr').limit(1).executeTakeFirst()
}

/**
 * Messages not processed yet (left behind by a crash, a kill, a shutdown), at most `limit`:
 * per koppeling and ticket in the tool's order, the oldest arrivals first.
 */
export async function ontvangenBerichten (db: Db, limit: number): Promise<Wachtend[]> {
  return await db.selectFrom('bericht').select(WACHTEND).where('resultaat', '=', 'ontvangen')
    .orderBy('koppeling_id').orderBy('ticket').orderBy(sql`volgorde asc nulls last`).orderBy('nr').limit(limit).execute()
}

/**
 * Clears the bodies of messages received before `voor` (not those still `ontvangen`), at most
 * `limit` in one statement; rows another transaction holds are left for the next run. Their
 * SHA-256, headers and outcome stay. Returns how many were cleared.
 */
export async function clearBodies (db: Db, voor: Date, op: Date, limit: number): Promise<number> {
  const ids = db.selectFrom('bericht').select('id').where('ontvangen_op', '<', voor).where('inhoud', 'is not', null)
    .where('resultaat', '<>', 'ontvangen').orderBy('ontvangen_op').limit(limit).forUpdate().skipLocked()
  const r = await db.updateTable('bericht').set({ inhoud: null, opgeschoond_op: op }).where('id', 'in', ids).executeTakeFirst()
  return Number(r.numUpdatedRows)
}

export async function meldingByKenmerk (db: Db, contractId: string, kenmerk: string): Promise<MeldingRow | undefined> {
  return await db.selectFrom('melding').selectAll().where('contract_id', '=', contractId).where('kenmerk', '=', kenmerk).executeTakeFirst()
}

/** Deadlines a tool stated in a message, for a melding (one row per clock and message; a repeat adds nothing). */
export async function addBronDeadlines (trx: Transaction<Database>, meldingId: string, berichtId: string, bronOp: number, deadlines: ReadonlyArray<{ klok: BronKlok, deadline: number, norm: number | null }>): Promise<void> {
  await trx.insertInto('bron_deadline').values(deadlines.map((d) => ({
    melding_id: meldingId, klok: d.klok, deadline: new Date(d.deadline), norm_ms: d.norm, bericht_id: berichtId, bron_op: new Date(bronOp)
  }))).onConflict((oc) => oc.columns(['melding_id', 'klok', 'bericht_id']).doNothing()).execute()
}

/** What the tools said of these meldingen's deadlines, per melding (the core picks the latest per clock). */
export async function bronDeadlinesOf (db: Kysely<Database>, meldingIds: readonly string[]): Promise<Map<string, BronClaim[]>> {
  const out = new Map<string, BronClaim[]>()
  if (meldingIds.length === 0) return out
  const rows = await db.selectFrom('bron_deadline').select(['melding_id', 'klok', 'deadline', 'norm_ms', 'bron_op']).where('melding_id', 'in', [...meldingIds]).execute()
  for (const r of rows) {
    const list = out.get(r.melding_id) ?? []
    list.push({ klok: r.klok, deadline: r.deadline.getTime(), norm: r.norm_ms === null ? null : Number(r.norm_ms), bronOp: r.bron_op.getTime() })
    out.set(r.melding_id, list)
  }
  return out
}

