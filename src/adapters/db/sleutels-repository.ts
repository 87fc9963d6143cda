import { sql, type Kysely } from 'kysely'
import type { Database, SleutelRol, SleutelRow } from './schema.js'
import { hashApiKey, keyPrefix } from '../security/api-keys.js'

/** Who is calling: the key's id, role and scope. Never the secret. */
export interface Principal {
  readonly keyId: string
  readonly rol: SleutelRol
  readonly leverancierId: string | null
  readonly diensten: readonly string[]
}

export interface NewKey {
  rol: SleutelRol
  leverancierId: string | null
  diensten: readonly string[]
  omschrijving: string
  aangemaaktDoor: string | null
}

/** The active (not revoked) key with this secret, or undefined. */
export async function findActiveKey (db: Kysely<Database>, secret: string): Promise<Principal | undefined> {
  const row = await db.selectFrom('sleutel')
    .select(['id', 'rol', 'leverancier_id', 'diensten'])
    .where('hash', '=', hashApiKey(secret))
    .where('ingetrokken_op', 'is', null)
    .executeTakeFirst()
  return row === undefined ? undefined : { keyId: row.id, rol: row.rol, leverancierId: row.leverancier_id, diensten: row.diensten }
}

export async function insertKey (db: Kysely<Database>, secret: string, key: NewKey): Promise<SleutelRow> {
  return await db.insertInto('sleutel').values({
    rol: key.rol,
    leverancier_id: key.leverancierId,
    diensten: [...key.diensten],
    omschrijving: key.omschrijving,
    hash: hashApiKey(secret),
    prefix: keyPrefix(secret),
    aangemaakt_door: key.aangemaaktDoor
  }).returningAll().executeTakeFirstOrThrow()
}

export async function getKey (db: Kysely<Database>, id: string): Promise<SleutelRow | undefined> {
  return await db.selectFrom('sleutel').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function listKeys (db: Kysely<Database>, page: { offset: number, limit: number }): Promise<{ rows: SleutelRow[], total: number }> {
  const [rows, count] = await Promise.all([
    db.selectFrom('sleutel').selectAll().orderBy('aangemaakt_op').orderBy('id').offset(page.offset).limit(page.limit).execute(),
    db.selectFrom('sleutel').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
  ])
  return { rows, total: Number(count.n) }
}

/** Revokes a key at once; a revoked key stays stored (who did what stays traceable). */
export async function revokeKey (db: Kysely<Database>, id: string): Promise<SleutelRow | undefined> {
  return await db.updateTable('sleutel')
    .set({ ingetrokken_op: sql<Date>`coalesce(ingetrokken_op, now())` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst()
}

/**
 * Creates a beheerder key with the given secret when the database has no keys yet
 * (`SLA_BOOTSTRAP_KEY`). The table lock makes instances that start together create it once.
 * @returns whether it created the key
 */
export async function ensureBootstrapKey (db: Kysely<Database>, secret: string): Promise<boolean> {
  return await db.transaction().execute(async (trx) => {
    await sql`lock table sleutel in share row exclusive mode`.execute(trx)
    const any = await trx.selectFrom('sleutel').select('id').limit(1).executeTakeFirst()
    if (any !== undefined) return false
    await insertKey(trx, secret, { rol: 'beheerder', leverancierId: null, diensten: [], omschrijving: 'bootstrap (SLA_BOOTSTRAP_KEY)', aangemaaktDoor: null })
    return true
  })
}
