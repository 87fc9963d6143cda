import type { Kysely } from 'kysely'
import { getContract, type Scope } from '../adapters/db/contracten-repository.js'
import { addGebruikersopgave, insertRestoretestOnce, listGebruikersopgaven, listRestoretests } from '../adapters/db/opgaven-repository.js'
import type { Database, GebruikersopgaveRow, RestoretestRow } from '../adapters/db/schema.js'
import type { Instant, RestoretestResultaat } from '../core/index.js'
import { invalid, ServiceError } from './errors.js'

export type { GebruikersopgaveRow, RestoretestRow } from '../adapters/db/schema.js'

type Page = { offset: number, limit: number }

/** What a supplier reports itself is for a contract the key may use: another's is a 400 on `contract`. */
async function checkContract (db: Kysely<Database>, contract: string, scope: Scope): Promise<void> {
  if (await getContract(db, contract, scope) === undefined) throw invalid([{ name: 'contract', reason: `contract ${contract} does not exist, or this key may not use it` }])
}

/**
 * The users and rights of a quarter (SLA 3.8): never changed, a new opgave is added and the last
 * counts; the same as the last again adds nothing (`created: false`).
 */
export async function reportUsers (db: Kysely<Database>, o: { contract: string, periode: string, gebruikers: number, rechten: Array<{ recht: string, gebruikers: number }>, gevolgen: string }, scope: Scope, keyId: string | null): Promise<{ row: GebruikersopgaveRow, created: boolean }> {
  await checkContract(db, o.contract, scope)
  return await addGebruikersopgave(db, { ...o, keyId })
}

export async function gebruikersopgavenPage (db: Kysely<Database>, f: { contract?: string | undefined, periode?: string | undefined }, page: Page, scope: Scope): Promise<{ rows: GebruikersopgaveRow[], total: number }> {
  return await listGebruikersopgaven(db, f, page, scope)
}

/** A restore test (SLA 7.4), idempotent per (contract, kenmerk): the same kenmerk with other values is a conflict, never an overwrite. */
export async function recordRestoretest (db: Kysely<Database>, r: { contract: string, kenmerk: string, uitgevoerdOp: Instant, resultaat: RestoretestResultaat, toelichting: string, opvolging: string }, scope: Scope, keyId: string | null): Promise<{ row: RestoretestRow, created: boolean }> {
  await checkContract(db, r.contract, scope)
  const uitgevoerdOp = new Date(r.uitgevoerdOp)
  const { row, created } = await insertRestoretestOnce(db, { ...r, uitgevoerdOp, keyId })
  if (!created && (row.uitgevoerd_op.getTime() !== r.uitgevoerdOp || row.resultaat !== r.resultaat || row.toelichting !== r.toelichting || row.opvolging !== r.opvolging)) {
    throw new ServiceError('conflict', `restore test ${r.kenmerk} of this contract exists with other values; it is never changed`)
  }
  return { row, created }
}

export async function restoretestsPage (db: Kysely<Database>, f: { contract?: string | undefined }, page: Page, scope: Scope): Promise<{ rows: RestoretestRow[], total: number }> {
  return await listRestoretests(db, f, page, scope)
}
