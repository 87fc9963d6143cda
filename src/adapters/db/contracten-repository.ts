import { sql, type Kysely, type Transaction } from 'kysely'
import type { ContractNormenRow, ContractRow, Database, StoredVoorwaarden } from './schema.js'

/** Which contracts a caller may see: all, or those of one leverancier. */
export interface Scope { readonly leverancierId: string | null }

export async function insertContract (trx: Transaction<Database>, c: { leverancierId: string, naam: string, keyId: string | null }, first: { geldigVanaf: string, voorwaarden: StoredVoorwaarden }): Promise<ContractRow> {
  const row = await trx.insertInto('contract').values({ leverancier_id: c.leverancierId, naam: c.naam, aangemaakt_door: c.keyId }).returningAll().executeTakeFirstOrThrow()
  await trx.insertInto('contract_normen').values({ contract_id: row.id, versie: 1, geldig_vanaf: first.geldigVanaf, normen: JSON.stringify(first.voorwaarden), aangemaakt_door: c.keyId }).execute()
  return row
}

export async function getContract (db: Kysely<Database>, id: string, scope: Scope): Promise<ContractRow | undefined> {
  let q = db.selectFrom('contract').selectAll().where('id', '=', id)
  if (scope.leverancierId !== null) q = q.where('leverancier_id', '=', scope.leverancierId)
  return await q.executeTakeFirst()
}

export async function versionsOf (db: Kysely<Database>, contractIds: readonly string[]): Promise<Map<string, ContractNormenRow[]>> {
  const out = new Map<string, ContractNormenRow[]>()
  if (contractIds.length === 0) return out
  const rows = await db.selectFrom('contract_normen').selectAll().where('contract_id', 'in', [...new Set(contractIds)]).orderBy('contract_id').orderBy('versie').execute()
  for (const r of rows) {
    const list = out.get(r.contract_id) ?? []
    list.push(r)
    out.set(r.contract_id, list)
  }
  return out
}

export async function listContracten (db: Kysely<Database>, page: { offset: number, limit: number }, scope: Scope, leverancier?: string): Promise<{ rows: ContractRow[], total: number }> {
  let q = db.selectFrom('contract')
  if (scope.leverancierId !== null) q = q.where('leverancier_id', '=', scope.leverancierId)
  if (leverancier !== undefined) q = q.where('leverancier_id', '=', leverancier)
  const [rows, count] = await Promise.all([
    q.selectAll().orderBy('naam').orderBy('id').offset(page.offset).limit(page.limit).execute(),
    q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
  ])
  return { rows, total: Number(count.n) }
}

/** Renames a contract. */
export async function renameContract (trx: Transaction<Database>, id: string, naam: string): Promise<void> {
  await trx.updateTable('contract').set({ naam }).where('id', '=', id).execute()
}

/**
 * Adds a version of the terms. The contract row is locked first, so concurrent changes get
 * consecutive version numbers; a second version on the same date is refused by the database.
 */
export async function addVersion (trx: Transaction<Database>, contractId: string, geldigVanaf: string, voorwaarden: StoredVoorwaarden, keyId: string | null): Promise<number> {
  await sql`select id from contract where id = ${contractId} for update`.execute(trx)
  const last = await trx.selectFrom('contract_normen').select((eb) => eb.fn.max('versie').as('v')).where('contract_id', '=', contractId).executeTakeFirst()
  const versie = Number(last?.v ?? 0) + 1
  await trx.insertInto('contract_normen').values({ contract_id: contractId, versie, geldig_vanaf: geldigVanaf, normen: JSON.stringify(voorwaarden), aangemaakt_door: keyId }).execute()
  return versie
}
