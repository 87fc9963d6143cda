import type { Kysely } from 'kysely'
import { addVersion, getContract, insertContract, listContracten, renameContract, versionsOf, type Scope } from '../adapters/db/contracten-repository.js'
import { getLeverancier } from '../adapters/db/leveranciers-repository.js'
import type { ContractRow, Database } from '../adapters/db/schema.js'
import type { Voorwaarden, VoorwaardenVersie } from '../core/index.js'
import { invalid, ServiceError } from './errors.js'
import { fromRow, STANDAARD_VOORWAARDEN, toStored } from './voorwaarden.js'

export interface ContractView { readonly row: ContractRow, readonly versies: readonly VoorwaardenVersie[] }

/** Terms given in part: the rest is taken from `base`. */
export interface TermsPatch {
  normen?: { perPrioriteit: Voorwaarden['normen']['perPrioriteit'] } | undefined
  automatischSluitenNa?: number | undefined
  prestatienorm?: number | undefined
  beschikbaarheidsnorm?: number | undefined
  extraGeslotenDagen?: Voorwaarden['extraGeslotenDagen'] | undefined
}

export function mergeTerms (base: Voorwaarden, patch: TermsPatch): Voorwaarden {
  return {
    normen: {
      perPrioriteit: patch.normen?.perPrioriteit ?? base.normen.perPrioriteit,
      automatischSluitenNa: patch.automatischSluitenNa ?? base.normen.automatischSluitenNa
    },
    prestatienorm: patch.prestatienorm ?? base.prestatienorm,
    beschikbaarheidsnorm: patch.beschikbaarheidsnorm ?? base.beschikbaarheidsnorm,
    extraGeslotenDagen: patch.extraGeslotenDagen ?? base.extraGeslotenDagen
  }
}

export async function contractView (db: Kysely<Database>, id: string, scope: Scope): Promise<ContractView> {
  const row = await getContract(db, id, scope)
  if (row === undefined) throw new ServiceError('not-found', `contract ${id} does not exist, or this key may not see it`)
  const versies = ((await versionsOf(db, [id])).get(id) ?? []).map(fromRow)
  return { row, versies }
}

/** A contract with its first version of terms: the standard SLA's, with what is given instead. */
export async function createContract (db: Kysely<Database>, c: { leverancier: string, naam: string, geldigVanaf: string | undefined }, terms: TermsPatch, keyId: string | null): Promise<ContractView> {
  if (await getLeverancier(db, c.leverancier) === undefined) throw invalid([{ name: 'leverancier', reason: `leverancier ${c.leverancier} does not exist` }])
  const row = await db.transaction().execute(async (trx) =>
    await insertContract(trx, { leverancierId: c.leverancier, naam: c.naam, keyId }, { geldigVanaf: c.geldigVanaf ?? '1970-01-01', voorwaarden: toStored(mergeTerms(STANDAARD_VOORWAARDEN, terms)) }))
  return await contractView(db, row.id, { leverancierId: null })
}

/**
 * Renames a contract and/or adds a version of its terms from `geldigVanaf` on: the latest
 * version with the given changes. Earlier versions stay, so meldingen already judged by them
 * keep their results.
 */
export async function patchContract (db: Kysely<Database>, id: string, p: { naam?: string | undefined, geldigVanaf?: string | undefined }, terms: TermsPatch, keyId: string | null): Promise<ContractView> {
  const current = await contractView(db, id, { leverancierId: null })
  const changesTerms = Object.values(terms).some((v) => v !== undefined)
  if (changesTerms && p.geldigVanaf === undefined) throw invalid([{ name: 'geldigVanaf', reason: 'a change of terms needs the date from which it holds' }])
  if (!changesTerms && p.geldigVanaf !== undefined) throw invalid([{ name: 'geldigVanaf', reason: 'is only for a change of terms' }])
  if (changesTerms && current.versies.some((v) => v.geldigVanaf === p.geldigVanaf)) {
    throw new ServiceError('conflict', `a version from ${p.geldigVanaf ?? ''} exists; versions never change: choose another date`)
  }
  const latest = current.versies[current.versies.length - 1] as VoorwaardenVersie
  await db.transaction().execute(async (trx) => {
    if (p.naam !== undefined) await renameContract(trx, id, p.naam)
    if (changesTerms) await addVersion(trx, id, p.geldigVanaf as string, toStored(mergeTerms(latest, terms)), keyId)
  })
  return await contractView(db, id, { leverancierId: null })
}

/** A page of the contracts the scope may see, by name, with their versions of terms. */
export async function contractenPage (db: Kysely<Database>, page: { offset: number, limit: number }, scope: Scope, leverancier?: string): Promise<{ views: ContractView[], total: number }> {
  const { rows, total } = await listContracten(db, page, scope, leverancier)
  const versions = await versionsOf(db, rows.map((r) => r.id))
  return { views: rows.map((row) => ({ row, versies: (versions.get(row.id) ?? []).map(fromRow) })), total }
}
