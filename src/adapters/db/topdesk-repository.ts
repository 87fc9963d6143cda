import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database, ImportStatus, KoppelingRow, TopdeskImportRow } from './schema.js'

type Db = Kysely<Database> | Transaction<Database>

/** TOPdesk read access of a koppeling (issue 13); `wachtwoord` undefined keeps the stored one. */
export async function setTopdesk (db: Db, id: string, t: { url: string, gebruiker: string, wachtwoord: Buffer | undefined, filter: string | null, cursor: Date | undefined }): Promise<void> {
  await db.updateTable('koppeling').set({
    topdesk_url: t.url, topdesk_gebruiker: t.gebruiker, topdesk_filter: t.filter,
    ...(t.wachtwoord === undefined ? {} : { topdesk_wachtwoord_versleuteld: t.wachtwoord }),
    ...(t.cursor === undefined ? {} : { topdesk_cursor: t.cursor })
  }).where('id', '=', id).execute()
}

/** Koppelingen that may read TOPdesk. */
export async function topdeskKoppelingen (db: Db): Promise<KoppelingRow[]> {
  return await db.selectFrom('koppeling').selectAll().where('bron', '=', 'topdesk').where('topdesk_url', 'is not', null)
    .where('topdesk_wachtwoord_versleuteld', 'is not', null).orderBy('id').execute()
}

/**
 * Takes (or renews, `eigen`) the reconciliation lease of a koppeling for `ms` by the database's
 * clock: one conditional update, so of instances trying at once exactly one gets it.
 */
export async function claimKoppeling (db: Db, id: string, ms: number, eigen: boolean): Promise<boolean> {
  const r = await db.updateTable('koppeling').set({ topdesk_bezig_tot: sql<Date>`now() + ${`${ms} milliseconds`}::interval` })
    .where('id', '=', id)
    .where((eb) => eigen ? eb.val(true) : eb.or([eb('topdesk_bezig_tot', 'is', null), eb('topdesk_bezig_tot', '<', sql<Date>`now()`)]))
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export async function releaseKoppeling (db: Db, id: string): Promise<void> {
  await db.updateTable('koppeling').set({ topdesk_bezig_tot: null }).where('id', '=', id).execute()
}

/** Moves the cursor forward only (never back: another run may have gone further). */
export async function advanceCursor (db: Db, id: string, cursor: Date): Promise<void> {
  await db.updateTable('koppeling').set({ topdesk_cursor: cursor }).where('id', '=', id)
    .where((eb) => eb.or([eb('topdesk_cursor', 'is', null), eb('topdesk_cursor', '<', cursor)])).execute()
}

export async function topdeskGelukt (db: Db, id: string, op: Date): Promise<void> {
  await db.updateTable('koppeling').set({ topdesk_status: 'ok', topdesk_laatste_succes: op }).where('id', '=', id).execute()
}

export async function topdeskMislukt (db: Db, id: string, fout: string, op: Date): Promise<void> {
  await db.updateTable('koppeling').set({ topdesk_status: 'fout', topdesk_laatste_fout: fout, topdesk_laatste_fout_op: op }).where('id', '=', id).execute()
}

/** Whether this koppeling already holds a message with this delivery id, and whether one was read through the API. */
export async function leveringen (db: Db, koppelingId: string, levering: string): Promise<{ gelezen: boolean, gepusht: boolean }> {
  const rows = await db.selectFrom('bericht').select(['bron', 'resultaat']).where('koppeling_id', '=', koppelingId)
    .where('levering', 'in', [levering, `${levering}+api`]).where('resultaat', '<>', 'fout').execute()
  return { gelezen: rows.some((r) => r.bron !== 'push'), gepusht: rows.some((r) => r.bron === 'push') }
}

export async function insertImport (db: Db, i: { koppelingId: string, vanaf: Date, tot: Date, op: Date }): Promise<TopdeskImportRow> {
  return await db.insertInto('topdesk_import').values({
    koppeling_id: i.koppelingId, vanaf: i.vanaf, tot: i.tot, cursor: new Date(i.vanaf.getTime() - 1), status: 'bezig', laatste_fout: null, aangemaakt_op: i.op, bijgewerkt_op: i.op
  }).returningAll().executeTakeFirstOrThrow()
}

export async function getImport (db: Db, koppelingId: string, id: string): Promise<TopdeskImportRow | undefined> {
  return await db.selectFrom('topdesk_import').selectAll().where('koppeling_id', '=', koppelingId).where('id', '=', id).executeTakeFirst()
}

export async function bezigeImporten (db: Db): Promise<TopdeskImportRow[]> {
  return await db.selectFrom('topdesk_import').selectAll().where('status', '=', 'bezig').orderBy('aangemaakt_op').execute()
}

/** The import's lease, as `claimKoppeling`; only while it is `bezig`. */
export async function claimImport (db: Db, id: string, ms: number, eigen: boolean): Promise<boolean> {
  const r = await db.updateTable('topdesk_import').set({ bezig_tot: sql<Date>`now() + ${`${ms} milliseconds`}::interval` })
    .where('id', '=', id).where('status', '=', 'bezig')
    .where((eb) => eigen ? eb.val(true) : eb.or([eb('bezig_tot', 'is', null), eb('bezig_tot', '<', sql<Date>`now()`)]))
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export async function importVoortgang (db: Db, id: string, p: { cursor: Date, gelezen: number, vertaald: number, bekend: number, fouten: number, laatsteFout: string | null, totaal: number | null, op: Date }): Promise<void> {
  await db.updateTable('topdesk_import').set((eb) => ({
    cursor: p.cursor, gelezen: eb('gelezen', '+', p.gelezen), vertaald: eb('vertaald', '+', p.vertaald), bekend: eb('bekend', '+', p.bekend), fouten: eb('fouten', '+', p.fouten),
    ...(p.laatsteFout === null ? {} : { laatste_fout: p.laatsteFout }), ...(p.totaal === null ? {} : { totaal: p.totaal }), bijgewerkt_op: p.op
  })).where('id', '=', id).where('status', '=', 'bezig').execute()
}

/** Ends an import that is `bezig`; false when it was not (cancelled meanwhile). */
export async function endImport (db: Db, id: string, status: Exclude<ImportStatus, 'bezig'>, op: Date, fout?: string, extraPoging = false): Promise<boolean> {
  const r = await db.updateTable('topdesk_import').set((eb) => ({
    status, klaar_op: op, bijgewerkt_op: op, bezig_tot: null, ...(fout === undefined ? {} : { laatste_fout: fout }), ...(extraPoging ? { pogingen: eb('pogingen', '+', 1) } : {})
  })).where('id', '=', id).where('status', '=', 'bezig').executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/** A failed attempt that will be retried (the lease is given up; the cursor stays). */
export async function importPoging (db: Db, id: string, fout: string, op: Date): Promise<number> {
  const r = await db.updateTable('topdesk_import').set((eb) => ({ pogingen: eb('pogingen', '+', 1), laatste_fout: fout, bijgewerkt_op: op, bezig_tot: null }))
    .where('id', '=', id).where('status', '=', 'bezig').returning('pogingen').executeTakeFirst()
  return r?.pogingen ?? 0
}

export async function releaseImport (db: Db, id: string): Promise<void> {
  await db.updateTable('topdesk_import').set({ bezig_tot: null }).where('id', '=', id).execute()
}
