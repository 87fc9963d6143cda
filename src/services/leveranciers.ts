import type { Kysely } from 'kysely'
import { getLeverancier, insertLeverancier, listLeveranciers } from '../adapters/db/leveranciers-repository.js'
import type { Database, LeverancierRow } from '../adapters/db/schema.js'
import type { Principal } from './scope.js'
import { ServiceError } from './errors.js'

export type { LeverancierRow } from '../adapters/db/schema.js'

/** A leverancier key sees only its own leverancier; the gemeente's keys see all. */
const ownOnly = (p: Principal | null | undefined): string | undefined => (p?.rol === 'leverancier' ? (p.leverancierId ?? undefined) : undefined)

export async function createLeverancier (db: Kysely<Database>, v: { naam: string, kvkNummer: string | null }): Promise<LeverancierRow> {
  return await insertLeverancier(db, v)
}

export async function leveranciersPage (db: Kysely<Database>, page: { offset: number, limit: number }, p: Principal | null | undefined): Promise<{ rows: LeverancierRow[], total: number }> {
  return await listLeveranciers(db, page, ownOnly(p))
}

export async function leverancierView (db: Kysely<Database>, id: string, p: Principal | null | undefined): Promise<LeverancierRow> {
  const own = ownOnly(p)
  const row = p?.rol === 'leverancier' && own !== id ? undefined : await getLeverancier(db, id)
  if (row === undefined) throw new ServiceError('not-found', `leverancier ${id} does not exist, or this key may not see it`)
  return row
}
