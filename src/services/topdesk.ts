import type { Kysely } from 'kysely'
import type { Scope } from '../adapters/db/contracten-repository.js'
import { getKoppeling, processedDelivery, setResultaat } from '../adapters/db/koppelingen-repository.js'
import type { BerichtBron, BerichtOpgeslagen, Database, KoppelingRow, TopdeskImportRow } from '../adapters/db/schema.js'
import {
  advanceCursor, bezigeImporten, claimImport, claimKoppeling, endImport, getImport, importPoging, importVoortgang, insertImport, leveringen,
  releaseImport, releaseKoppeling, topdeskGelukt, topdeskKoppelingen, topdeskMislukt
} from '../adapters/db/topdesk-repository.js'
import { decryptGeheim } from '../adapters/security/geheimen.js'
import { TopdeskClient, TopdeskError, type Obj, type TopdeskOpties } from '../adapters/topdesk/client.js'
import type { Instant } from '../core/index.js'
import { invalid, ServiceError } from './errors.js'
export type { TopdeskImportRow } from '../adapters/db/schema.js'
export { checkTopdeskUrl, validTopdesk, type TopdeskInput } from './topdesk-toegang.js'
import { cut, toolTime } from './koppeling-bronnen.js'
import { verwerkGelezen } from './koppelingen.js'

/**
 * Reading the gemeente's TOPdesk through its REST API (issue 13): the reconciliation job, history
 * imports and thin pushes. Every snapshot read goes into the inbox as `{ incident, progresstrail }`
 * (marked `pull` or `import`) and is processed like a push, so the same translation applies and
 * the delivery id (incident id @ modificationDate) keeps pull and push from doubling anything.
 */

/** How the reading is done (README: configuration). */
export interface TopdeskLeesOpties extends TopdeskOpties {
  /** Incidents per page (TOPdesk allows up to 10,000; default 500). */
  readonly pageSize?: number
  /** Makes the client (tests and the benchmark pass options; default: a TopdeskClient). */
  readonly client?: (k: KoppelingRow, wachtwoord: string) => TopdeskClient
  /** How long a lease on a koppeling or an import lasts, renewed per page (default 5 min). */
  readonly leaseMs?: number
  /** Incidents of a page read and processed at once (default 4). */
  readonly gelijktijdig?: number
  /** An import that failed this many times in a row is `mislukt` (default 5). */
  readonly maxPogingen?: number
}

const LEASE_MS = 5 * 60_000

const clientOf = (sleutel: Buffer, k: KoppelingRow, o: TopdeskLeesOpties): TopdeskClient => {
  if (k.topdesk_url === null || k.topdesk_gebruiker === null || k.topdesk_wachtwoord_versleuteld === null) throw new TopdeskError('this koppeling has no TOPdesk read access', null)
  let wachtwoord: string
  try { wachtwoord = decryptGeheim(sleutel, k.topdesk_wachtwoord_versleuteld) } catch { throw new TopdeskError('the application password cannot be read with the current SLA_GEHEIMEN_SLEUTEL (was the key changed?)', null) }
  return o.client?.(k, wachtwoord) ?? new TopdeskClient({ url: k.topdesk_url, gebruiker: k.topdesk_gebruiker, wachtwoord }, o)
}

/** What one page did. */
interface Telling { gelezen: number, vertaald: number, bekend: number, fouten: number, laatsteFout: string | null }

/**
 * One incident read: unless a snapshot of it with this modificationDate was read before, its
 * progress trail is read and `{ incident, progresstrail }` goes through the inbox. A snapshot that
 * was only pushed so far is stored as `<id>@<modificationDate>+api` so its trail is read too (its
 * events are the push's, same kenmerk and values: nothing doubles).
 */
async function leesIncident (db: Kysely<Database>, client: TopdeskClient, k: KoppelingRow, inc: Obj, bron: BerichtBron, now: Instant, t: Telling): Promise<void> {
  t.gelezen++
  const id = typeof inc.id === 'string' ? inc.id : undefined
  const mod = typeof inc.modificationDate === 'string' ? inc.modificationDate : undefined
  if (id === undefined || mod === undefined) { t.fouten++; t.laatsteFout = 'TOPdesk listed an incident without id or modificationDate'; return }
  const levering = `${id}@${mod}`
  const known = await leveringen(db, k.id, levering)
  if (known.gelezen) { t.bekend++; return }
  const progresstrail = await client.voortgang(id)
  const b = await verwerkGelezen(db, k, { incident: inc, progresstrail }, known.gepusht ? `${levering}+api` : levering, bron, now)
  if (b.resultaat === 'verwerkt') t.vertaald++
  else if (b.resultaat === 'dubbel') t.bekend++
  else if (b.resultaat === 'fout') { t.fouten++; t.laatsteFout = cut(`incident ${id}: ${b.reden ?? ''}`, 4000) }
}

/**
 * Reads every incident modified after `na` matching the koppeling's filter, page by page (each
 * page asked from the cursor so far, so incidents changing while paged are read again later, not
 * skipped), calling `page` after each with the new cursor: every incident modified at or before
 * it was processed. Incidents at the page's last modificationDate may continue on the next page,
 * so the cursor stays just below it (they are read again and skipped as known).
 */
async function leesVanaf (db: Kysely<Database>, client: TopdeskClient, k: KoppelingRow, na: number, bron: BerichtBron, now: Instant, o: TopdeskLeesOpties,
  page: (cursor: number, t: Telling, totaal: number | null) => Promise<boolean>): Promise<number> {
  const size = o.pageSize ?? 500
  let cursor = na
  let start = 0
  for (;;) {
    const p = await client.incidenten(cursor, k.topdesk_filter, start, size)
    const t: Telling = { gelezen: 0, vertaald: 0, bekend: 0, fouten: 0, laatsteFout: null }
    // Incidents of a page are distinct tickets: a few at once (each ticket's processing is
    // serialised by its locks anyway); the cursor moves only after the whole page.
    // A failure stops the others after their current incident; all are waited for before it is thrown.
    let next0 = 0
    let failed = false
    const done = await Promise.allSettled(Array.from({ length: Math.max(1, o.gelijktijdig ?? 4) }, async () => {
      while (!failed && next0 < p.items.length) {
        try { await leesIncident(db, client, k, p.items[next0++] as Obj, bron, now, t) } catch (err) { failed = true; throw err }
      }
    }))
    const fail = done.find((x): x is PromiseRejectedResult => x.status === 'rejected')
    if (fail !== undefined) throw fail.reason
    const times = p.items.map((i) => toolTime(i.modificationDate)).filter((x): x is number => x !== undefined)
    const last = times.length === 0 ? cursor : Math.max(...times)
    let next: number
    if (!p.meer) next = Math.max(cursor, last)
    else if (last - 1 > cursor) { next = last - 1; start = 0 } else { next = cursor; start += p.items.length }
    if (!await page(next, t, p.totaal)) return next
    if (!p.meer) return next
    cursor = next
  }
}

/** The reconciliation of one koppeling, when no other instance runs it; undefined when it was left to another. */
export async function reconcileKoppeling (db: Kysely<Database>, sleutel: Buffer, k: KoppelingRow, now: Instant, o: TopdeskLeesOpties = {}): Promise<Telling | undefined> {
  const lease = o.leaseMs ?? LEASE_MS
  if (!await claimKoppeling(db, k.id, lease, false)) return undefined
  const totaal: Telling = { gelezen: 0, vertaald: 0, bekend: 0, fouten: 0, laatsteFout: null }
  try {
    const client = clientOf(sleutel, k, o)
    const fresh = await getKoppeling(db, k.id, { leverancierId: null })
    const from = fresh?.topdesk_cursor?.getTime() ?? now - 24 * 3_600_000
    await leesVanaf(db, client, fresh ?? k, from, 'pull', now, o, async (cursor, t) => {
      totaal.gelezen += t.gelezen; totaal.vertaald += t.vertaald; totaal.bekend += t.bekend; totaal.fouten += t.fouten; totaal.laatsteFout = t.laatsteFout ?? totaal.laatsteFout
      await advanceCursor(db, k.id, new Date(cursor))
      return await claimKoppeling(db, k.id, lease, true)
    })
    await topdeskGelukt(db, k.id, new Date(now))
    return totaal
  } catch (err) {
    if (!(err instanceof TopdeskError)) throw err
    // Closing: not TOPdesk's failure; the next run goes on from the cursor.
    if (!err.afgebroken) await topdeskMislukt(db, k.id, cut(err.message, 4000), new Date(now))
    return totaal
  } finally {
    await releaseKoppeling(db, k.id).catch(() => {})
  }
}

/** The job: every koppeling with TOPdesk read access, one instance at a time each. */
export async function reconcileAll (db: Kysely<Database>, sleutel: Buffer | undefined, now: Instant, o: TopdeskLeesOpties = {}): Promise<Map<string, Telling | undefined>> {
  const out = new Map<string, Telling | undefined>()
  if (sleutel === undefined) return out
  for (const k of await topdeskKoppelingen(db)) out.set(k.id, await reconcileKoppeling(db, sleutel, k, now, o))
  return out
}

/** A history import (POST …/importen): `bezig` at once, the job reads. */
export async function startImport (db: Kysely<Database>, koppelingId: string, vanaf: Instant, scope: Scope, now: Instant): Promise<TopdeskImportRow> {
  const k = await getKoppeling(db, koppelingId, scope)
  if (k === undefined) throw new ServiceError('not-found', `koppeling ${koppelingId} does not exist, or this key may not see it`)
  if (k.bron !== 'topdesk' || k.topdesk_url === null) throw new ServiceError('conflict', 'this koppeling has no TOPdesk read access: give it `topdesk` (PATCH) first')
  if (vanaf > now) throw invalid([{ name: 'vanaf', reason: 'must not be in the future' }])
  return await insertImport(db, { koppelingId, vanaf: new Date(vanaf), tot: new Date(now), op: new Date(now) })
}

export async function importView (db: Kysely<Database>, koppelingId: string, importId: string, scope: Scope): Promise<TopdeskImportRow> {
  const k = await getKoppeling(db, koppelingId, scope)
  if (k === undefined) throw new ServiceError('not-found', `koppeling ${koppelingId} does not exist, or this key may not see it`)
  const i = await getImport(db, koppelingId, importId)
  if (i === undefined) throw new ServiceError('not-found', `import ${importId} of koppeling ${koppelingId} does not exist`)
  return i
}

/** Cancels an import that is `bezig` (the job stops after its page); one that ended is answered as it is. */
export async function annuleerImport (db: Kysely<Database>, koppelingId: string, importId: string, scope: Scope, now: Instant): Promise<TopdeskImportRow> {
  const i = await importView(db, koppelingId, importId, scope)
  if (i.status === 'bezig') await endImport(db, i.id, 'geannuleerd', new Date(now))
  return await importView(db, koppelingId, importId, scope)
}

/** When an import will likely end: its pace so far over what TOPdesk said is left. */
export function verwachtEinde (i: TopdeskImportRow, now: Instant): Instant | null {
  if (i.status !== 'bezig' || i.totaal === null || i.gelezen === 0) return null
  const verstreken = Math.max(1, now - i.aangemaakt_op.getTime())
  const rest = Math.max(0, i.totaal - i.gelezen)
  return now + Math.round(verstreken / i.gelezen * rest)
}

/** Runs one import (the job; resumable: from its stored cursor). */
export async function runImport (db: Kysely<Database>, sleutel: Buffer, i: TopdeskImportRow, now: () => Instant, o: TopdeskLeesOpties = {}): Promise<void> {
  const lease = o.leaseMs ?? LEASE_MS
  if (!await claimImport(db, i.id, lease, false)) return
  try {
    const k = await getKoppeling(db, i.koppeling_id, { leverancierId: null })
    if (k === undefined) throw new Error(`koppeling ${i.koppeling_id} disappeared`)
    const client = clientOf(sleutel, k, o)
    let eersteTotaal: number | null = null
    await leesVanaf(db, client, k, i.cursor.getTime(), 'import', now(), o, async (cursor, t, totaal) => {
      // TOPdesk counts what is left from the cursor: the first page's count plus what was read before is the whole.
      if (eersteTotaal === null && totaal !== null) eersteTotaal = totaal + i.gelezen
      await importVoortgang(db, i.id, { cursor: new Date(cursor), ...t, totaal: eersteTotaal, op: new Date(now()) })
      return await claimImport(db, i.id, lease, true)
    })
    await endImport(db, i.id, 'klaar', new Date(now()))
  } catch (err) {
    if (!(err instanceof TopdeskError)) throw err
    // Closing (a restart): the lease is given back, the next start resumes from the cursor.
    if (err.afgebroken) { await releaseImport(db, i.id); return }
    const pogingen = await importPoging(db, i.id, cut(err.message, 4000), new Date(now()))
    if (pogingen >= (o.maxPogingen ?? 5) || err.status === 401 || err.status === 403) await endImport(db, i.id, 'mislukt', new Date(now()), cut(err.message, 4000))
  }
}

/** The job's part for imports: every import `bezig` (also those a restart left), one instance each. */
export async function runImporten (db: Kysely<Database>, sleutel: Buffer | undefined, now: () => Instant, o: TopdeskLeesOpties = {}): Promise<number> {
  if (sleutel === undefined) return 0
  const rows = await bezigeImporten(db)
  for (const i of rows) await runImport(db, sleutel, i, now, o)
  return rows.length
}

/**
 * A thin push (only the incident's id or number) completed: the incident and its progress trail
 * are read through the API and processed as a snapshot (`pull`, its own delivery id, so a push
 * or reconciliation of the same snapshot doubles nothing); the thin message itself is `verwerkt`
 * naming that snapshot, or `fout` with why TOPdesk could not be read (the reconciliation repairs it).
 */
export async function vulDunnePushAan (db: Kysely<Database>, sleutel: Buffer | undefined, k: KoppelingRow, b: BerichtOpgeslagen, body: unknown, now: Instant, o: TopdeskLeesOpties = {}): Promise<BerichtOpgeslagen> {
  const obj = (body ?? {}) as Obj
  const inc = (obj.incident !== null && typeof obj.incident === 'object' ? obj.incident : obj) as Obj
  const id = typeof inc.id === 'string' && inc.id.trim() !== '' ? inc.id : undefined
  const nummer = typeof inc.number === 'string' || typeof inc.number === 'number' ? String(inc.number) : undefined
  // The same thin push again (the same body): answered as a repeat, like any delivery processed before.
  if (await processedDelivery(db, k.id, b.levering, b.id)) return await setResultaat(db, b.id, 'dubbel', `delivery ${b.levering} was processed before`, new Date(now))
  try {
    if (sleutel === undefined) throw new TopdeskError('no SLA_GEHEIMEN_SLEUTEL to read the application password with', null)
    // A thin push is answered quickly: fewer, shorter attempts than the job's.
    const client = clientOf(sleutel, k, { timeoutMs: 10_000, pogingen: 2, wachtMs: 200, ...o })
    const full = id !== undefined ? await client.incident(id) : await client.incidentOpNummer(nummer ?? '')
    if (full === undefined || typeof full.id !== 'string' || typeof full.modificationDate !== 'string') {
      return await setResultaat(db, b.id, 'fout', `TOPdesk does not know incident ${id ?? nummer ?? '?'} (or this account may not read it)`, new Date(now))
    }
    const levering = `${full.id}@${full.modificationDate}`
    const known = await leveringen(db, k.id, levering)
    if (known.gelezen) return await setResultaat(db, b.id, 'verwerkt', `a thin push: snapshot ${levering} was read through the TOPdesk API before`, new Date(now))
    const progresstrail = await client.voortgang(full.id)
    const snap = await verwerkGelezen(db, k, { incident: full, progresstrail }, known.gepusht ? `${levering}+api` : levering, 'pull', now)
    return await setResultaat(db, b.id, snap.resultaat === 'fout' ? 'fout' : 'verwerkt', cut(`a thin push, completed through the TOPdesk API as bericht ${snap.id} (${snap.resultaat}${snap.reden === null ? '' : `: ${snap.reden}`})`, 4000), new Date(now))
  } catch (err) {
    if (!(err instanceof TopdeskError)) throw err
    return await setResultaat(db, b.id, 'fout', cut(`a thin push that could not be completed through the TOPdesk API: ${err.message}`, 4000), new Date(now))
  }
}
