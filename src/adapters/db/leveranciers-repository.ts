import type { Kysely } from 'kysely'
import type { Database, LeverancierRow } from './schema.js'

export async function insertLeverancier (db: Kysely<Database>, v: { naam: string, kvkNummer: string | null }): Promise<LeverancierRow> {
  return await db.insertInto('leverancier').values({ naam: v.naam, kvk_nummer: v.kvkNummer }).returningAll().executeTakeFirstOrThrow()
}

export async function getLeverancier (db: Kysely<Database>, id: string): Promise<LeverancierRow | undefined> {
  return await db.selectFrom('leverancier').selectAll().where('id', '=', id).executeTakeFirst()
}

/** A page of leveranciers in a stable order (name, then id); `onlyId` restricts to one. */
export async function listLeveranciers (db: Kysely<Database>, page: { offset: number, limit: number }, onlyId?: string): Promise<{ rows: LeverancierRow[], total: number }> {
  let q = db.selectFrom('leverancier')
  if (onlyId !== undefined) q = q.where('id', '=', onlyId)
  const [rows, count] = await Promise.all([
    q.selectAll().orderBy('naam').orderBy('id').offset(page.offset).limit(page.limit).execute(),
    q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
  ])
  return { rows, total: Number(count.n) }
}
