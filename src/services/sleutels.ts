import type { Kysely } from 'kysely'
import { getLeverancier } from '../adapters/db/leveranciers-repository.js'
import type { Database, SleutelRol, SleutelRow } from '../adapters/db/schema.js'
import { getKey, insertKey, listKeys, revokeKey } from '../adapters/db/sleutels-repository.js'
import { generateApiKey } from '../adapters/security/api-keys.js'
import { invalid, ServiceError } from './errors.js'

export type { SleutelRow } from '../adapters/db/schema.js'

const notFound = (id: string): ServiceError => new ServiceError('not-found', `sleutel ${id} does not exist, or this key may not see it`)

/**
 * A new key: a leverancier key names its leverancier, a monitor key its diensten, and no other
 * role either. Returns the row and the secret, which is stored only as a hash and shown this once.
 */
export async function createKey (db: Kysely<Database>, k: { rol: SleutelRol, leverancier: string | undefined, diensten: readonly string[], omschrijving: string }, madeBy: string | null): Promise<{ row: SleutelRow, secret: string }> {
  const bad: Array<{ name: string, reason: string }> = []
  if (k.rol === 'leverancier' && k.leverancier === undefined) bad.push({ name: 'leverancier', reason: 'is required for a leverancier key' })
  if (k.rol !== 'leverancier' && k.leverancier !== undefined) bad.push({ name: 'leverancier', reason: 'is only for a leverancier key' })
  if (k.rol === 'monitor' && k.diensten.length === 0) bad.push({ name: 'diensten', reason: 'a monitor key needs at least one dienst' })
  if (k.rol !== 'monitor' && k.diensten.length > 0) bad.push({ name: 'diensten', reason: 'is only for a monitor key' })
  if (bad.length === 0 && k.leverancier !== undefined && await getLeverancier(db, k.leverancier) === undefined) {
    bad.push({ name: 'leverancier', reason: `leverancier ${k.leverancier} does not exist` })
  }
  if (bad.length > 0) throw invalid(bad)
  const secret = generateApiKey()
  const row = await insertKey(db, secret, { rol: k.rol, leverancierId: k.leverancier ?? null, diensten: [...k.diensten], omschrijving: k.omschrijving, aangemaaktDoor: madeBy })
  return { row, secret }
}

export async function keysPage (db: Kysely<Database>, page: { offset: number, limit: number }): Promise<{ rows: SleutelRow[], total: number }> {
  return await listKeys(db, page)
}

export async function keyView (db: Kysely<Database>, id: string): Promise<SleutelRow> {
  const row = await getKey(db, id)
  if (row === undefined) throw notFound(id)
  return row
}

/** Revokes a key at once (also when it already was); a key cannot revoke itself, so one beheerder key always remains. */
export async function revoke (db: Kysely<Database>, id: string, by: string | undefined): Promise<SleutelRow> {
  if (by === id) throw new ServiceError('conflict', 'a key cannot revoke itself: use another beheerder key, so that one always remains')
  const row = await revokeKey(db, id)
  if (row === undefined) throw notFound(id)
  return row
}
