import type { Kysely, Transaction } from 'kysely'
import { DateTime } from 'luxon'
import { getContract, versionsOf, type Scope } from '../adapters/db/contracten-repository.js'
import { eventsOf } from '../adapters/db/meldingen-repository.js'
import type { AbonnementRow, AbonnementSoort, AfleveringStatus, Database, DienstRow, EscalatieContact, EscalatiematrixRow, MeldingRow, StoredSignaalSoort } from '../adapters/db/schema.js'
import {
  addMatrix, claimDue, deactivateAbonnement, escalatieAdressen, getAbonnement, getAflevering, insertAbonnement, insertSignalen, listAbonnementen,
  listAfleveringen, lockDuePlanned, matrixVersions, recordAttempt, resendAflevering, savePlanning,
  type AfleveringJoined, type NewSignaal, type Planning
} from '../adapters/db/signalen-repository.js'
import { decryptGeheim, encryptGeheim } from '../adapters/security/geheimen.js'
import { randomBytes } from 'node:crypto'
import {
  computeSla, formatDuration, formatInstant, maandSignalen, SLA_TIME_ZONE, signalenIn, signalenTussen, verplichtingSignalen, verplichtingWeergave, volgendSignaalOp,
  type GevuurdSignaal, type Instant, type MeldingFeiten, type SignaalSoort, type SlaState, type VoorwaardenVersie
} from '../core/index.js'
import { invalid, ServiceError } from './errors.js'
import { viewOf } from './meldingen.js'
import { maandResultaat, monthReach } from './beschikbaarheid.js'
import { runBounds, uitsluitingenOf } from '../adapters/db/beschikbaarheid-repository.js'
import { fromRow, slaContext, standardCalendar } from './voorwaarden.js'
import { alleVerplichtingen, type ContractVerplichting } from './verplichtingen.js'

export type { AbonnementSoort, AfleveringStatus, EscalatieContact, StoredSignaalSoort } from '../adapters/db/schema.js'

const DAY = 86_400_000
const YEAR = 365 * DAY

// ================================================================ signals of meldingen

/** What a person needs to act, as the VNG Notificaties `kenmerken` (text values). */
function kenmerkenOf (row: MeldingRow, s: GevuurdSignaal, state: SlaState): Record<string, string> {
  const k: Record<string, string> = {
    contract: row.contract_id,
    melding: row.id,
    kenmerk: row.kenmerk,
    onderwerp: row.onderwerp,
    type: row.type,
    prioriteit: String(state.prioriteit),
    status: state.status,
    op: formatInstant(s.op),
    gevuurdOp: formatInstant(s.gevuurdOp)
  }
  if (s.klok !== null) k.klok = s.klok
  if (s.deadline !== null) {
    k.deadline = formatInstant(s.deadline)
    const klok = s.klok === 'reactie' || s.klok === 'functieherstel' ? state[s.klok] : null
    if (klok?.norm != null) k.norm = formatDuration(klok.norm)
    if (klok?.resterend != null && s.soort === 'melding.risico') k.resterend = formatDuration(klok.resterend)
  }
  return k
}

const outboxRow = (row: MeldingRow, s: GevuurdSignaal): NewSignaal => ({
  sleutel: `melding:${row.id}:${s.sleutel}`,
  soort: s.soort,
  contractId: row.contract_id,
  meldingId: row.id,
  op: new Date(s.op),
  gevuurdOp: new Date(s.gevuurdOp),
  kenmerken: kenmerkenOf(row, s, s.toestand)
})

/**
 * The write path: in the transaction of every write of a melding (which holds its lock), what
 * holds now (a new melding of prio 1 or 2, a priority raised past a deadline, a closing, what
 * events that arrived late make true) goes into the outbox, and the melding's next signal instant
 * becomes the earlier of the stored one and the new one: one statement. The instants in between
 * are the job's (`fireDue`), from where it left off, so none is skipped; a signal fired here and
 * by the job has one key, so it is written once.
 */
export async function signaleer (trx: Transaction<Database>, view: { row: MeldingRow, feiten: MeldingFeiten, version: VoorwaardenVersie, state: SlaState }, now: Instant): Promise<number> {
  const ctx = slaContext(view.version)
  const state = view.state.peilmoment === now ? view.state : computeSla(view.feiten, ctx, now)
  const signalen = now < view.feiten.gemeldOp ? [] : signalenIn(view.feiten, ctx, state).map((s) => outboxRow(view.row, { ...s, gevuurdOp: now, toestand: state }))
  const next = now < view.feiten.gemeldOp ? view.feiten.gemeldOp : volgendSignaalOp(view.feiten, ctx, state)
  return (await insertSignalen(trx, signalen, new Date(now), undefined, { meldingId: view.row.id, volgende_op: next === null ? null : new Date(next), verwerkt_tot: new Date(now) })).length
}

/**
 * The job: fires the signals of every melding whose next signal instant has come. Meldingen are
 * locked with SKIP LOCKED, so instances running it together share the work, and each signal's
 * key is unique in the outbox, so none is sent twice; a late run (after downtime) fires every
 * signal of the time it missed, each with its own instant. A batch costs four statements
 * whatever its size: lock, read the events and terms, write the signals, write the plannings.
 * @returns the number of signals written
 */
export async function fireDue (db: Kysely<Database>, now: Instant, batch = 200): Promise<number> {
  let total = 0
  for (;;) {
    const done = await db.transaction().execute(async (trx) => {
      const due = await lockDuePlanned(trx, new Date(now), batch)
      if (due.length === 0) return true
      // Read after the statement that locked them (see lockMelding): every committed event is seen.
      const [events, versions] = await Promise.all([eventsOf(trx, due.map((d) => d.row.id)), versionsOf(trx, due.map((d) => d.row.contract_id))])
      const signalen: NewSignaal[] = []
      const plannings: Array<Planning & { meldingId: string }> = []
      for (const { row, planning } of due) {
        const view = viewOf(row, events.get(row.id) ?? [], (versions.get(row.contract_id) ?? []).map(fromRow), now)
        const van = planning.verwerkt_tot.getTime()
        const tot = Math.max(van, now)
        const r = signalenTussen(view.feiten, slaContext(view.version), van, tot)
        signalen.push(...r.signalen.map((x) => outboxRow(row, x)))
        plannings.push({ meldingId: row.id, volgende_op: r.volgendeOp === null ? null : new Date(r.volgendeOp), verwerkt_tot: new Date(tot) })
      }
      if (signalen.length > 0) total += (await insertSignalen(trx, signalen, new Date(now))).length
      await savePlanning(trx, plannings)
      return due.length < batch
    })
    if (done) return total
  }
}

/** Signals without a melding (a koppeling's message that failed, a final report): written in the caller's transaction. */
export async function signaleerLos (trx: Transaction<Database>, s: { sleutel: string, soort: SignaalSoort, contractId: string, op: Instant, kenmerken: Record<string, string> }, now: Instant): Promise<void> {
  await insertSignalen(trx, [{ sleutel: s.sleutel, soort: s.soort, contractId: s.contractId, meldingId: null, op: new Date(s.op), gevuurdOp: new Date(now), kenmerken: { contract: s.contractId, ...s.kenmerken } }], new Date(now))
}

/**
 * Issue 15, item 4: the SLA's other obligations of every contract at `now`; one signal when one
 * falls due within 5 werkdagen and one when it became `verlopen`, each once (the outbox's unique
 * key). Run by the signalen job about once a minute. "5 werkdagen" is counted with the standard
 * SLA calendar (Dutch holidays); the due instants themselves with the contract's own.
 */
export async function signaleerVerplichtingen (db: Kysely<Database>, now: Instant): Promise<number> {
  const { rows } = await alleVerplichtingen(db, now, {}, { offset: 0, limit: Number.MAX_SAFE_INTEGER }, { leverancierId: null })
  const perContract = new Map<string, ContractVerplichting[]>()
  for (const v of rows) perContract.set(v.contract, [...(perContract.get(v.contract) ?? []), v])
  const calendar = standardCalendar('kantooruren')
  const signalen: NewSignaal[] = []
  for (const [contract, list] of perContract) {
    const naam = list[0]?.contractNaam ?? ''
    for (const s of verplichtingSignalen(list, contract, calendar, now)) {
      const w = verplichtingWeergave(s.verplichting, SLA_TIME_ZONE)
      signalen.push({
        sleutel: s.sleutel, soort: s.soort, contractId: contract, meldingId: null, op: new Date(s.op), gevuurdOp: new Date(now),
        kenmerken: { contract, contractNaam: naam, verplichting: w.soort, onderwerp: w.onderwerp, verwachtOp: w.verwachtOp, status: w.status, uitleg: w.uitleg }
      })
    }
  }
  if (signalen.length === 0) return 0
  return (await db.transaction().execute(async (trx) => await insertSignalen(trx, signalen, new Date(now)))).length
}

/**
 * `beschikbaarheid.onder-norm` (R-BES-5): after samples with downtime, in the transaction that
 * stores them (which holds the dienst's lock), each month they touch is computed so far. Once per
 * month and dienst when its availability so far is below the norm, and once when its downtime
 * passed what the month can have and still reach the norm (about the instant it did).
 */
export async function signaleerMaanden (trx: Transaction<Database>, dienst: DienstRow, maanden: readonly string[], now: Instant): Promise<void> {
  const versions = ((await versionsOf(trx, [dienst.contract_id])).get(dienst.contract_id) ?? []).map(fromRow)
  const signalen: NewSignaal[] = []
  for (const maand of maanden) {
    const { start, end, fromDay, toDay } = monthReach(maand, dienst.meetinterval_ms)
    const [reeksen, uitsluitingen] = await Promise.all([runBounds(trx, dienst.id, fromDay, toDay), uitsluitingenOf(trx, [dienst.id], { from: new Date(start), to: new Date(end) })])
    const r = maandResultaat(dienst, maand, { reeksen, responstijden: [], uitsluitingen, onderhoud: [] }, versions)
    const s = maandSignalen(r)
    const kenmerken = {
      contract: dienst.contract_id,
      dienst: dienst.id,
      dienstNaam: dienst.naam,
      maand,
      beschikbaarheid: String(r.beschikbaarheid ?? ''),
      norm: String(r.norm),
      onbeschikbaar: formatDuration(r.onbeschikbaar),
      budget: formatDuration(Math.round(s.budget)),
      resterend: formatDuration(Math.round(s.resterend)),
      ...(s.onbereikbaarOp === null ? {} : { onbereikbaarOp: formatInstant(Math.round(s.onbereikbaarOp)) })
    }
    const base = { soort: 'beschikbaarheid.onder-norm' as const, contractId: dienst.contract_id, meldingId: null, gevuurdOp: new Date(now) }
    if (s.onderNorm) signalen.push({ ...base, sleutel: `beschikbaarheid.onder-norm:${dienst.id}:${maand}:onder-norm`, op: new Date(now), kenmerken: { ...kenmerken, reden: 'onder-norm' } })
    if (s.onbereikbaarOp !== null) signalen.push({ ...base, sleutel: `beschikbaarheid.onder-norm:${dienst.id}:${maand}:onbereikbaar`, op: new Date(Math.round(s.onbereikbaarOp)), kenmerken: { ...kenmerken, reden: 'onbereikbaar' } })
  }
  if (signalen.length > 0) await insertSignalen(trx, signalen, new Date(now))
}

// ================================================================ escalatiematrix (SLA 6.3)

export interface MatrixView {
  readonly contract: string
  readonly versies: readonly EscalatiematrixRow[]
  /** Not confirmed (no PUT) for more than a year: "partijen houden dit overzicht actueel". */
  readonly verouderd: boolean
}

export async function escalatiematrix (db: Kysely<Database>, contractId: string, scope: Scope, now: Instant): Promise<MatrixView> {
  if (await getContract(db, contractId, scope) === undefined) throw new ServiceError('not-found', `contract ${contractId} does not exist, or this key may not see it`)
  const versies = await matrixVersions(db, contractId)
  const last = versies[versies.length - 1]
  if (last === undefined) throw new ServiceError('not-found', `contract ${contractId} has no escalatiematrix yet: PUT one`)
  return { contract: contractId, versies, verouderd: now - last.aangemaakt_op.getTime() > YEAR }
}

const amsterdamDate = (t: Instant): string => DateTime.fromMillis(t, { zone: SLA_TIME_ZONE }).toISODate() as string

/** A new version of the matrix (also when unchanged: that confirms it), in force from `geldigVanaf` (default today). */
export async function putEscalatiematrix (db: Kysely<Database>, contractId: string, m: { contacten: readonly EscalatieContact[], geldigVanaf?: string | undefined }, scope: Scope, keyId: string | null, now: Instant): Promise<MatrixView> {
  if (await getContract(db, contractId, scope) === undefined) throw new ServiceError('not-found', `contract ${contractId} does not exist, or this key may not see it`)
  const problems: Array<{ name: string, reason: string }> = []
  for (const niveau of [1, 2, 3] as const) {
    for (const partij of ['opdrachtgever', 'opdrachtnemer'] as const) {
      if (!m.contacten.some((c) => c.niveau === niveau && c.partij === partij)) problems.push({ name: 'contacten', reason: `has no contact of the ${partij} at niveau ${niveau} (SLA 6.3: levels 1–3 of both parties)` })
    }
  }
  if (problems.length > 0) throw invalid(problems)
  const versies = await matrixVersions(db, contractId)
  const from = m.geldigVanaf ?? amsterdamDate(now)
  const last = versies[versies.length - 1]
  if (last !== undefined && from < last.geldig_vanaf) throw invalid([{ name: 'geldigVanaf', reason: `lies before the latest version's ${last.geldig_vanaf}` }])
  await db.transaction().execute(async (trx) => { await addMatrix(trx, contractId, from, m.contacten, new Date(now), keyId) })
  return await escalatiematrix(db, contractId, scope, now)
}

// ================================================================ abonnementen

export interface NewAbonnement {
  soort: AbonnementSoort
  url?: string | undefined
  adressen?: string[] | undefined
  niveau?: number | undefined
  signalen?: SignaalSoort[] | undefined
  contract?: string | undefined
  omschrijving?: string | undefined
}

export class GeenSleutelError extends Error {
  override readonly name = 'GeenSleutelError'
  constructor () { super('webhook abonnementen need SLA_GEHEIMEN_SLEUTEL on PostgreSQL: their signing secrets are stored encrypted with it') }
}

const LOCAL = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?(\/|$)/

/** A new Standard Webhooks secret: `whsec_` and 32 random bytes in base64. */
const newWhsec = (): string => `whsec_${randomBytes(32).toString('base64')}`

/**
 * Makes an abonnement. A leverancier key's abonnement takes only its own contracts' signals (and
 * only a contract of its own); a webhook's signing secret is answered once, stored encrypted.
 */
export async function createAbonnement (db: Kysely<Database>, sleutel: Buffer | undefined, a: NewAbonnement, scope: Scope, keyId: string | null, now: Instant): Promise<{ row: AbonnementRow, geheim: string | undefined }> {
  const problems: Array<{ name: string, reason: string }> = []
  const p = (name: string, reason: string): void => { problems.push({ name, reason }) }
  if (a.soort === 'webhook') {
    if (a.url === undefined) p('url', 'is required for a webhook')
    else {
      let ok = false
      try { const u = new URL(a.url); ok = u.protocol === 'https:' || LOCAL.test(a.url) } catch { ok = false }
      if (!ok) p('url', 'must be an https URL (http only for localhost, 127.0.0.1 or [::1])')
    }
  } else if (a.url !== undefined) p('url', 'is only for a webhook')
  if (a.soort === 'email' && (a.adressen === undefined || a.adressen.length === 0)) p('adressen', 'is required for e-mail')
  if (a.soort !== 'email' && a.adressen !== undefined) p('adressen', 'is only for e-mail')
  if (a.soort === 'escalatie' && a.niveau === undefined) p('niveau', 'is required for an escalatie abonnement (1, 2 or 3)')
  if (a.soort !== 'escalatie' && a.niveau !== undefined) p('niveau', 'is only for an escalatie abonnement')
  if (a.soort === 'escalatie' && a.contract === undefined && scope.leverancierId !== null) p('contract', 'is required for a leverancier key\'s escalatie abonnement')
  if (problems.length > 0) throw invalid(problems)
  if (a.contract !== undefined && await getContract(db, a.contract, scope) === undefined) throw invalid([{ name: 'contract', reason: `contract ${a.contract} does not exist, or this key may not use it` }])
  if (a.soort === 'webhook' && sleutel === undefined) throw new GeenSleutelError()
  const geheim = a.soort === 'webhook' ? newWhsec() : undefined
  const row = await insertAbonnement(db, {
    soort: a.soort, url: a.url ?? null, adressen: a.adressen ?? null, niveau: a.niveau ?? null,
    signalen: a.signalen === undefined ? null : [...new Set(a.signalen)], contractId: a.contract ?? null, leverancierId: scope.leverancierId,
    omschrijving: a.omschrijving ?? '', geheim: geheim === undefined || sleutel === undefined ? null : encryptGeheim(sleutel, geheim), now: new Date(now), keyId
  })
  return { row, geheim }
}

const notFound = (id: string): ServiceError => new ServiceError('not-found', `abonnement ${id} does not exist, or this key may not see it`)

export async function abonnement (db: Kysely<Database>, id: string, scope: Scope): Promise<AbonnementRow> {
  const row = await getAbonnement(db, id, scope)
  if (row === undefined) throw notFound(id)
  return row
}

export async function abonnementenList (db: Kysely<Database>, page: { offset: number, limit: number }, scope: Scope, contract: string | undefined): Promise<{ rows: AbonnementRow[], total: number }> {
  return await listAbonnementen(db, page, scope, contract)
}

/** Ends an abonnement: no new deliveries; its log stays readable. */
export async function stopAbonnement (db: Kysely<Database>, id: string, scope: Scope): Promise<AbonnementRow> {
  await abonnement(db, id, scope)
  await deactivateAbonnement(db, id)
  return await abonnement(db, id, scope)
}

export async function afleveringenList (db: Kysely<Database>, id: string, scope: Scope, page: { offset: number, limit: number }, status: AfleveringStatus | undefined): Promise<{ rows: AfleveringJoined[], total: number }> {
  await abonnement(db, id, scope)
  return await listAfleveringen(db, id, page, status)
}

/** A test signal to this abonnement only: it is delivered like any other, and logged. */
export async function testAbonnement (db: Kysely<Database>, id: string, scope: Scope, now: Instant): Promise<AfleveringJoined> {
  const row = await abonnement(db, id, scope)
  if (!row.actief) throw new ServiceError('conflict', `abonnement ${id} was stopped`)
  const sleutel = `test:${id}:${randomBytes(8).toString('hex')}`
  const written = await db.transaction().execute(async (trx) =>
    await insertSignalen(trx, [{ sleutel, soort: 'test', contractId: row.contract_id, meldingId: null, op: new Date(now), gevuurdOp: new Date(now), kenmerken: { abonnement: id } }], new Date(now), id))
  const sig = written[0]
  if (sig === undefined) throw new Error('test signal not written')
  const f = await db.selectFrom('aflevering').select('id').where('signaal_id', '=', sig.id).executeTakeFirstOrThrow()
  return await getAflevering(db, id, f.id) as AfleveringJoined
}

export async function opnieuw (db: Kysely<Database>, id: string, afleveringId: string, scope: Scope, now: Instant): Promise<AfleveringJoined> {
  await abonnement(db, id, scope)
  const f = await getAflevering(db, id, afleveringId)
  if (f === undefined) throw new ServiceError('not-found', `aflevering ${afleveringId} of abonnement ${id} does not exist`)
  await resendAflevering(db, afleveringId, new Date(now))
  return await getAflevering(db, id, afleveringId) as AfleveringJoined
}

// ================================================================ delivery

import type { Poging } from '../adapters/delivery/senders.js'
export type { Poging } from '../adapters/delivery/senders.js'

export interface Verzenders {
  /** POSTs the body to the URL signed with the Standard Webhooks secret. */
  webhook: (url: string, whsec: string, msgId: string, body: string) => Promise<Poging>
  /** Sends one mail; undefined: no SMTP_URL (e-mail deliveries wait). */
  email: ((to: readonly string[], subject: string, text: string, html: string) => Promise<Poging>) | undefined
}

export const WINDOW_MS = DAY
const BASE_MS = 30_000
const MAX_DELAY_MS = 2 * 3_600_000

/** Exponential backoff with full jitter (attempt 1 failed: up to 30 s; doubling, at most 2 h), never before Retry-After. */
export function retryDelay (attempt: number, random: number, retryAfterMs?: number): number {
  const cap = Math.min(MAX_DELAY_MS, BASE_MS * 2 ** Math.min(attempt - 1, 20))
  const backoff = Math.round(cap / 2 + random * cap / 2)
  return Math.max(backoff, retryAfterMs ?? 0)
}

const SOORT_TEKST: Record<StoredSignaalSoort, string> = {
  'melding.geregistreerd': 'is geregistreerd met een hoge prioriteit of als beveiligingsincident',
  'melding.risico': 'loopt risico: er is minder dan 20 % van de norm over',
  'melding.verlopen': 'heeft de deadline overschreden',
  'voortgang.gemist': 'heeft een gemiste voortgangsmelding',
  'melding.automatisch-gesloten': 'is automatisch gesloten: 10 werkdagen geen reactie op de oplossing',
  'beschikbaarheid.onder-norm': 'heeft een beschikbaarheid onder de norm',
  'rapportage.definitief': 'heeft een definitieve rapportage',
  'koppeling.fout': 'heeft een bericht van een koppeling dat niet verwerkt kon worden',
  'verplichting.binnenkort': 'heeft een afspraak die binnen 5 werkdagen moet zijn nagekomen',
  'verplichting.verlopen': 'heeft een afspraak die niet op tijd is nagekomen',
  test: 'is een testbericht van de SLA-monitor'
}
const KLOK_TEKST: Record<string, string> = { reactie: 'reactietijd', functieherstel: 'functiehersteltijd', voortgang: 'voortgangsmelding' }

const inWords = (iso: string): string => DateTime.fromISO(iso, { zone: SLA_TIME_ZONE }).setLocale('nl').toFormat("cccc d LLLL yyyy 'om' HH:mm")
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/** The body of a webhook: the shape of a VNG Notificaties API message. */
export function notificatie (f: AfleveringJoined, publicUrl: string): Record<string, unknown> {
  const k = Object.fromEntries(Object.entries(f.sig_kenmerken).map(([a, b]) => [a, String(b)]))
  const melding = f.sig_melding_id
  const [resource, resourceUrl] = melding !== null ? ['melding', `${publicUrl}/meldingen/${melding}`]
    : k.rapportage !== undefined ? ['rapportage', `${publicUrl}/rapportages/${k.rapportage}`]
      : k.bericht !== undefined && k.koppeling !== undefined ? ['bericht', `${publicUrl}/koppelingen/${k.koppeling}/berichten?resultaat=fout`]
        : k.dienst !== undefined ? ['beschikbaarheid', `${publicUrl}/diensten/${k.dienst}/beschikbaarheid?maand=${k.maand ?? ''}`]
        : k.verplichting !== undefined ? ['verplichting', `${publicUrl}/contracten/${f.sig_contract_id ?? ''}/verplichtingen?soort=${k.verplichting}`]
        : f.sig_soort === 'test' ? ['abonnement', `${publicUrl}/abonnementen/${f.abonnement_id}`]
          : ['contract', `${publicUrl}/contracten/${f.sig_contract_id ?? ''}`]
  return {
    kanaal: 'sla-signalen',
    hoofdObject: f.sig_contract_id !== null ? `${publicUrl}/contracten/${f.sig_contract_id}` : resourceUrl,
    resource,
    resourceUrl,
    actie: f.sig_soort,
    aanmaakdatum: formatInstant(f.sig_aangemaakt_op.getTime()),
    kenmerken: {
      ...k,
      signaal: f.signaal_id,
      ...(melding !== null ? { uitleg: `${resourceUrl}?uitleg=true` } : {})
    }
  }
}

/** The mail of a signal, in Dutch: subject, plain text and simple HTML, with the deadline in words. */
export function mail (f: AfleveringJoined, publicUrl: string): { subject: string, text: string, html: string } {
  const n = notificatie(f, publicUrl)
  const k = n.kenmerken as Record<string, string>
  const wat = k.kenmerk !== undefined ? `Melding ${k.kenmerk}${k.onderwerp !== undefined ? ` (${k.onderwerp})` : ''}` : k.dienstNaam !== undefined ? `Dienst ${k.dienstNaam}` : 'Contract'
  const subject = `[SLA-monitor] ${wat} ${SOORT_TEKST[f.sig_soort]}`
  const lines = [`${wat} ${SOORT_TEKST[f.sig_soort]}.`, '']
  if (k.prioriteit !== undefined) lines.push(`Prioriteit: ${k.prioriteit}`)
  if (k.klok !== undefined) lines.push(`Klok: ${KLOK_TEKST[k.klok] ?? k.klok}`)
  if (k.deadline !== undefined) lines.push(`Deadline: ${inWords(k.deadline)} (Nederlandse tijd)`)
  if (k.resterend !== undefined) lines.push(`Nog beschikbaar: ${k.resterend.replace(/^PT/, '').replace('H', ' uur ').replace('M', ' minuten ').replace('S', ' seconden').trim()} werktijd`)
  if (f.sig_soort === 'voortgang.gemist' && k.op !== undefined) lines.push(`De voortgangsmelding was verwacht op ${inWords(k.op)}.`)
  if (f.sig_soort === 'melding.automatisch-gesloten' && k.op !== undefined) lines.push(`Gesloten op ${inWords(k.op)}.`)
  if (f.sig_soort === 'beschikbaarheid.onder-norm') {
    lines.push(`Dienst: ${k.dienstNaam ?? k.dienst ?? ''}, maand ${k.maand ?? ''}`)
    if (k.beschikbaarheid !== undefined && k.beschikbaarheid !== '') lines.push(`Beschikbaarheid tot nu toe: ${(Number(k.beschikbaarheid) * 100).toFixed(2)} % (norm ${(Number(k.norm) * 100).toFixed(1)} %)`)
    lines.push(k.onbereikbaarOp !== undefined
      ? `De norm is deze maand niet meer haalbaar sinds ${inWords(k.onbereikbaarOp)}.`
      : `Er mag deze maand nog ${k.resterend ?? ''} onbeschikbaarheid binnen het servicevenster (07:00–23:00) bij komen.`)
  }
  if (k.verplichting !== undefined) {
    lines.push(`Contract: ${k.contractNaam ?? ''}`, `Afspraak: ${k.verplichting} ${k.onderwerp ?? ''}`)
    if (k.verwachtOp !== undefined) lines.push(`Uiterlijk: ${inWords(k.verwachtOp)} (Nederlandse tijd)`)
    if (k.uitleg !== undefined) lines.push(k.uitleg)
  }
  if (k.deadline !== undefined) lines.push('', 'De deadline telt alleen kantooruren (werkdagen 08:00–18:00) en staat stil zolang de melding wacht op informatie of op de klant.')
  if (k.uitleg !== undefined && k.verplichting === undefined) lines.push('', `Uitleg per dag: ${k.uitleg}`)
  lines.push('', `Signaal ${f.signaal_id}, abonnement ${f.abonnement_id}.`)
  const text = lines.join('\n')
  const html = `<!doctype html><html lang="nl"><body>${lines.map((l) => l === '' ? '' : `<p>${esc(l)}</p>`).join('\n')}</body></html>`
  return { subject, text, html }
}

/**
 * Sends due deliveries: claimed in a transaction of their own (SKIP LOCKED), sent outside it, the
 * outcome recorded. A failure is tried again after an exponential backoff with jitter (or the
 * Retry-After the receiver asked), until 24 hours after the signal (or the resend): then
 * `mislukt`. @returns how many were attempted.
 */
export async function deliverDue (db: Kysely<Database>, opts: { sleutel: Buffer | undefined, publicUrl: string, verzenders: Verzenders, random?: () => number }, now: Instant, batch = 50): Promise<number> {
  const random = opts.random ?? Math.random
  const due = await claimDue(db, new Date(now), batch, 5 * 60_000)
  await Promise.all(due.map(async (f) => {
    let r: Poging
    try {
      r = await attempt(db, f, opts)
    } catch (err) {
      r = { ok: false, httpStatus: null, fout: err instanceof Error ? err.message : String(err) }
    }
    if (r.ok) {
      await recordAttempt(db, f.id, { status: 'afgeleverd', volgende: null, httpStatus: r.httpStatus, fout: null, afgeleverdOp: new Date(now) })
      return
    }
    const next = now + retryDelay(f.pogingen, random(), r.retryAfterMs)
    const over = r.definitief === true || next > f.venster_start.getTime() + WINDOW_MS
    await recordAttempt(db, f.id, { status: over ? 'mislukt' : 'wachtend', volgende: over ? null : new Date(next), httpStatus: r.httpStatus, fout: r.fout, afgeleverdOp: null })
  }))
  return due.length
}

async function attempt (db: Kysely<Database>, f: AfleveringJoined, opts: { sleutel: Buffer | undefined, publicUrl: string, verzenders: Verzenders }): Promise<Poging> {
  if (f.ab_soort === 'webhook') {
    if (opts.sleutel === undefined || f.ab_geheim === null || f.ab_url === null) return { ok: false, httpStatus: null, fout: 'no SLA_GEHEIMEN_SLEUTEL to read the signing secret' }
    const whsec = decryptGeheim(opts.sleutel, f.ab_geheim)
    return await opts.verzenders.webhook(f.ab_url, whsec, f.id, JSON.stringify(notificatie(f, opts.publicUrl)))
  }
  const send = opts.verzenders.email
  if (send === undefined) return { ok: false, httpStatus: null, fout: 'no SMTP_URL: e-mail cannot be sent' }
  const to = f.ab_soort === 'email' ? f.ab_adressen ?? [] : f.sig_contract_id === null ? [] : await escalatieAdressen(db, f.sig_contract_id, f.ab_niveau ?? 0)
  if (to.length === 0) return { ok: false, httpStatus: null, fout: `no e-mail address at niveau ${f.ab_niveau ?? '?'} of the contract's escalatiematrix`, definitief: false }
  const m = mail(f, opts.publicUrl)
  return await send(to, m.subject, m.text, m.html)
}
