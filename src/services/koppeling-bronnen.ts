import { createHash } from 'node:crypto'
import { hmacSha256, sameSecret } from '../adapters/security/geheimen.js'
import type { MeldingStatus, MeldingType, Omgeving, Prioriteit, Sluitreden } from '../core/index.js'
import type { NewGebeurtenis } from './meldingen.js'

/**
 * What each ticket tool sends and how it becomes a melding and its events (issue 12; field
 * guide: INTEGRATIONS.md). Everything here works on values: the koppelingen service does the I/O.
 */

export const BRONNEN = ['topdesk', 'jira', 'zendesk'] as const
export type Bron = typeof BRONNEN[number]

/** How a tool's values map onto ours; one version per change (PATCH), the latest applies. */
export interface Vertaling {
  /** A tool value (id or name, case-insensitive) and the prioriteit it means. */
  prioriteiten: Array<{ waarde: string, prioriteit: Prioriteit }>
  /** Also read a leading `P1`…`P4` or `Prioriteit 1`…`4` in the priority's name (TOPdesk). */
  prioriteitUitNaam: boolean
  /** Status ids or names (case-insensitive) per meaning; Jira and Zendesk only (TOPdesk has flags). */
  statussen: {
    /** the supplier starts work: a `reactie` event and `in-behandeling` */
    reactie: string[]
    /** waiting on the gemeente: the clock pauses (status `pauzeStatus`) */
    pauze: string[]
    /** a wait that does not pause the supplier's clock (Zendesk `hold`): `in-behandeling` */
    nietPauzerend: string[]
    opgelost: string[]
    gesloten: string[]
  }
  pauzeStatus: 'wachten-op-klant' | 'wachten-op-informatie'
  /** The sluitreden of a close in the tool. */
  sluitreden: 'oplossing-geaccepteerd' | 'akkoord-opdrachtgever'
  /** Every melding of this koppeling has this type and omgeving (per-field rules are not built yet). */
  type: Exclude<MeldingType, 'beveiligingsincident'>
  omgeving: Omgeving
}

const COMMON = { pauzeStatus: 'wachten-op-klant', sluitreden: 'oplossing-geaccepteerd', type: 'verstoring', omgeving: 'productie' } as const

export const STANDAARD_VERTALING: Readonly<Record<Bron, Vertaling>> = {
  jira: {
    ...COMMON,
    // Jira's default scheme: by name and by its ids 1–5.
    prioriteiten: [
      { waarde: 'Highest', prioriteit: 1 }, { waarde: 'High', prioriteit: 2 }, { waarde: 'Medium', prioriteit: 3 },
      { waarde: 'Low', prioriteit: 4 }, { waarde: 'Lowest', prioriteit: 4 },
      { waarde: '1', prioriteit: 1 }, { waarde: '2', prioriteit: 2 }, { waarde: '3', prioriteit: 3 }, { waarde: '4', prioriteit: 4 }, { waarde: '5', prioriteit: 4 }
    ],
    prioriteitUitNaam: false,
    statussen: { reactie: ['In Progress'], pauze: ['Waiting for customer', 'Pending'], nietPauzerend: [], opgelost: ['Resolved'], gesloten: ['Closed'] }
  },
  zendesk: {
    ...COMMON,
    prioriteiten: [{ waarde: 'urgent', prioriteit: 1 }, { waarde: 'high', prioriteit: 2 }, { waarde: 'normal', prioriteit: 3 }, { waarde: 'low', prioriteit: 4 }],
    prioriteitUitNaam: false,
    statussen: { reactie: ['open'], pauze: ['pending'], nietPauzerend: ['hold'], opgelost: ['solved'], gesloten: ['closed'] }
  },
  topdesk: {
    ...COMMON,
    prioriteiten: [],
    prioriteitUitNaam: true,
    statussen: { reactie: [], pauze: [], nietPauzerend: [], opgelost: [], gesloten: [] }
  }
}

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v)
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined)
const lower = (s: string): string => s.trim().toLowerCase()

/** A tool's instant: ISO 8601 with `Z`, `+01:00` or `+0100` (TOPdesk, Jira); never a zone-less local time. */
export function toolTime (v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 && v <= LATEST ? v : undefined
  if (typeof v !== 'string') return undefined
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)(?:[.,](\d+))?(Z|[+-]\d{2}:?\d{2})$/.exec(v.trim())
  if (m === null) return undefined
  const frac = (m[2] ?? '').slice(0, 3).padEnd(3, '0')
  const off = m[3] === 'Z' ? 'Z' : (m[3] as string).replace(/^([+-]\d{2}):?(\d{2})$/, '$1:$2')
  const t = Date.parse(`${m[1] as string}.${frac}${off}`)
  return Number.isNaN(t) || t < 0 || t > LATEST ? undefined : t
}

/**
 * Instants a tool may name: 1970 up to the end of 2199, the years the SLA calendar covers
 * (src/core: holidays and working hours); a later one would fail the clocks, so it is a failed
 * message naming the field, like any other unreadable time.
 */
const LATEST = Date.parse('2199-12-31T23:59:59.999Z')

/** At most `n` UTF-16 units, never ending in half a surrogate pair (which could not be stored). */
export const cut = (s: string, n: number): string => {
  if (s.length <= n) return s
  const head = s.slice(0, n - 1)
  return `${/[\ud800-\udbff]$/.test(head) ? head.slice(0, -1) : head}…`
}

const iso = (t: number): string => new Date(t).toISOString()

/** A tool value `{ id, name }` (or a bare string) read as ours; undefined when the mapping does not know it. */
export function mapPrioriteit (v: Vertaling, value: unknown): Prioriteit | undefined {
  const keys = isObj(value) ? [text(value.id), text(value.name)] : [text(value)]
  for (const k of keys) {
    if (k === undefined) continue
    const hit = v.prioriteiten.find((p) => lower(p.waarde) === lower(k))
    if (hit !== undefined) return hit.prioriteit
  }
  const name = isObj(value) ? text(value.name) : text(value)
  if (v.prioriteitUitNaam && name !== undefined) {
    const m = /^\s*(?:P|Prioriteit\s*)([1-4])(?!\d)/i.exec(name)
    if (m !== null) return Number(m[1]) as Prioriteit
  }
  return undefined
}

const describe = (value: unknown): string => {
  if (isObj(value)) return `${cut(text(value.name) ?? '?', 200)} (id ${cut(text(value.id) ?? '?', 100)})`
  return value === null || value === undefined ? 'empty' : cut(typeof value === 'string' ? value : JSON.stringify(value) ?? String(value), 200)
}

type Klasse = keyof Vertaling['statussen']

function classify (v: Vertaling, id: unknown, name: unknown): Klasse | undefined {
  const keys = [text(id), text(name)].filter((k): k is string => k !== undefined).map(lower)
  for (const k of ['reactie', 'pauze', 'nietPauzerend', 'opgelost', 'gesloten'] as const) {
    if (v.statussen[k].some((s) => keys.includes(lower(s)))) return k
  }
  return undefined
}

/** Which headers of a message are kept with it in the inbox (never Authorization). */
const KEPT_HEADERS = [
  'content-type', 'user-agent', 'x-atlassian-webhook-identifier', 'x-atlassian-webhook-retry', 'x-atlassian-webhook-flow',
  'x-hub-signature', 'x-zendesk-webhook-id', 'x-zendesk-webhook-invocation-id', 'x-zendesk-webhook-signature',
  'x-zendesk-webhook-signature-timestamp'
]

export type Headers = Record<string, string | string[] | undefined>
const header = (h: Headers, name: string): string | undefined => {
  const v = h[name]
  return Array.isArray(v) ? v[0] : v
}

export const keptHeaders = (h: Headers): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const n of KEPT_HEADERS) {
    const v = header(h, n)
    if (v !== undefined) out[n] = v
  }
  return out
}

/** Zendesk: a signature timestamp further than this from now is refused (replay). */
export const ZENDESK_WINDOW_MS = 5 * 60_000

/**
 * Whether a message is signed by this koppeling's secret, on the raw bytes, in constant time:
 * undefined when it is, else why not (answered as 401; nothing is stored).
 */
export function checkSignature (bron: Bron, geheim: string, raw: Buffer, h: Headers, now: number): string | undefined {
  if (bron === 'jira') {
    const given = header(h, 'x-hub-signature')
    if (given === undefined) return 'missing X-Hub-Signature'
    const m = /^sha256=([0-9a-fA-F]{64})$/.exec(given.trim())
    if (m === null) return 'X-Hub-Signature is not sha256=<64 hex digits>'
    return sameSecret(Buffer.from((m[1] as string).toLowerCase(), 'hex'), hmacSha256(geheim, raw)) ? undefined : 'X-Hub-Signature does not match'
  }
  if (bron === 'zendesk') {
    const given = header(h, 'x-zendesk-webhook-signature')
    const ts = header(h, 'x-zendesk-webhook-signature-timestamp')
    if (given === undefined || ts === undefined) return 'missing X-Zendesk-Webhook-Signature or X-Zendesk-Webhook-Signature-Timestamp'
    const at = toolTime(ts)
    if (at === undefined) return 'X-Zendesk-Webhook-Signature-Timestamp is not a date-time'
    const ok = sameSecret(Buffer.from(given.trim(), 'base64'), hmacSha256(geheim, ts, raw))
    if (!ok) return 'X-Zendesk-Webhook-Signature does not match'
    if (Math.abs(now - at) > ZENDESK_WINDOW_MS) return 'X-Zendesk-Webhook-Signature-Timestamp is more than 5 minutes from now (replay refused)'
    return undefined
  }
  const auth = header(h, 'authorization')
  const m = auth === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(auth)
  if (m === null) return 'missing Authorization: Bearer <geheim>'
  return sameSecret(m[1] as string, geheim) ? undefined : 'the Bearer secret does not match'
}

/** What identifies a message: its delivery, its ticket, and the tool's own time of it. */
export interface Kop { levering: string, ticket: string | null, volgorde: number | null }

const topdeskIncident = (body: unknown): Obj | undefined => (isObj(body) ? (isObj(body.incident) ? body.incident : body) : undefined)

/** Ids longer than the inbox keeps are replaced by their hash (delivery) or left out (ticket: the message then fails). */
export function kopOf (bron: Bron, body: unknown, h: Headers, raw: Buffer): Kop {
  const k = rawKop(bron, body, h, raw)
  const levering = k.levering.length <= 300 ? k.levering : `sha256:${createHash('sha256').update(k.levering).digest('hex')}`
  return { levering, ticket: k.ticket !== null && k.ticket.length <= 100 ? k.ticket : null, volgorde: k.volgorde }
}

/** An id that is empty or only white space is no id (a delivery id must identify something). */
const nonBlank = (s: string | undefined): string | undefined => (s === undefined || s.trim() === '' ? undefined : s)

function rawKop (bron: Bron, body: unknown, h: Headers, raw: Buffer): Kop {
  const hash = createHash('sha256').update(raw).digest('hex')
  const b = isObj(body) ? body : {}
  if (bron === 'jira') {
    const issue = isObj(b.issue) ? b.issue : {}
    return { levering: nonBlank(header(h, 'x-atlassian-webhook-identifier')) ?? `sha256:${hash}`, ticket: nonBlank(text(issue.id)) ?? null, volgorde: toolTime(b.timestamp) ?? null }
  }
  if (bron === 'zendesk') {
    const detail = isObj(b.detail) ? b.detail : {}
    return { levering: nonBlank(text(b.id)) ?? `sha256:${hash}`, ticket: nonBlank(text(detail.id)) ?? null, volgorde: toolTime(b.time) ?? null }
  }
  const inc = topdeskIncident(body) ?? {}
  const id = nonBlank(text(inc.id))
  const mod = nonBlank(text(inc.modificationDate))
  return { levering: id !== undefined && mod !== undefined ? `${id}@${mod}` : `sha256:${hash}`, ticket: id ?? null, volgorde: toolTime(inc.modificationDate) ?? null }
}

/** A ticket as a melding. */
export interface TicketMelding { kenmerk: string, onderwerp: string, gemeldOp: number, prioriteit: Prioriteit, type: MeldingType, omgeving: Omgeving }

export type Vertaald =
  | { ok: true, melding: TicketMelding, events: NewGebeurtenis[], opmerking?: string }
  | { ok: false, reden: string }

const fout = (reden: string): Vertaald => ({ ok: false, reden })

/** One event per kenmerk (a message can say the same thing twice, e.g. Jira status and resolution). */
const unique = (events: NewGebeurtenis[]): NewGebeurtenis[] => {
  const seen = new Set<string>()
  return events.filter((e) => {
    const k = e.kenmerk as string
    if (seen.has(k)) return false
    seen.add(k)
    return true
  })
}

function statusEvents (v: Vertaling, klasse: Klasse | undefined, vorige: Klasse | undefined, op: number, kenmerk: string, waarom: string): NewGebeurtenis[] {
  const status = (s: MeldingStatus, sluitreden?: Sluitreden): NewGebeurtenis => ({ type: 'status', op, status: s, sluitreden, kenmerk: `${kenmerk}:status:${s}`, toelichting: waarom })
  switch (klasse) {
    case 'reactie':
      // Back to work after a wait or a solution is a resume, not a (first) reaction.
      return vorige === 'pauze' || vorige === 'opgelost' || vorige === 'gesloten' || vorige === 'nietPauzerend'
        ? [status('in-behandeling')]
        : [{ type: 'reactie', op, kenmerk: `${kenmerk}:reactie`, toelichting: waarom }, status('in-behandeling')]
    case 'pauze': return [status(v.pauzeStatus)]
    case 'nietPauzerend': return [status('in-behandeling')]
    case 'opgelost': return [status('opgelost')]
    case 'gesloten': return [status('gesloten', v.sluitreden)]
    default:
      // Leaving a wait, a solution or a close for a status without a meaning: work goes on.
      return vorige === 'pauze' || vorige === 'opgelost' || vorige === 'gesloten' ? [status('in-behandeling')] : []
  }
}

/** Jira: every message describes its own change (changelog), so the order of arrival does not matter. */
export function vertaalJira (v: Vertaling, body: unknown): Vertaald {
  if (!isObj(body)) return fout('the body is not a JSON object')
  const issue = isObj(body.issue) ? body.issue : undefined
  const fields = issue !== undefined && isObj(issue.fields) ? issue.fields : undefined
  const id = issue === undefined ? undefined : text(issue.id)
  if (issue === undefined || fields === undefined || id === undefined) return fout('missing issue.id or issue.fields')
  const gemeldOp = toolTime(fields.created)
  if (gemeldOp === undefined) return fout(`issue.fields.created is missing or not a date-time with an offset: ${describe(fields.created)}`)
  const op = toolTime(body.timestamp)
  if (op === undefined) return fout('missing timestamp (epoch milliseconds)')
  const items = isObj(body.changelog) && Array.isArray(body.changelog.items) ? body.changelog.items.filter(isObj) : []
  const changelogId = isObj(body.changelog) ? text(body.changelog.id) : undefined
  const created = body.webhookEvent === 'jira:issue_created'
  // The priority when the ticket was made: as created, else before this message's change.
  const priorityItem = items.find((i) => i.field === 'priority')
  const startPriority = !created && priorityItem !== undefined ? { id: priorityItem.from, name: priorityItem.fromString } : fields.priority
  const prioriteit = mapPrioriteit(v, startPriority)
  if (prioriteit === undefined) return fout(`unknown priority ${describe(startPriority)}: add it to vertaling.prioriteiten`)
  const melding: TicketMelding = {
    kenmerk: `jira:${id}`, onderwerp: cut(`${text(issue.key) ?? id}: ${text(fields.summary) ?? ''}`, 1000), gemeldOp, prioriteit, type: v.type, omgeving: v.omgeving
  }
  if (created || items.length === 0) return { ok: true, melding, events: [] }
  if (changelogId === undefined) return fout('missing changelog.id')
  const k = `jira:${changelogId}`
  const events: NewGebeurtenis[] = []
  for (const item of items) {
    const field = text(item.field)
    const waarom = `Jira ${text(issue.key) ?? id}: ${field ?? '?'} ${text(item.fromString) ?? '–'} → ${text(item.toString) ?? '–'}`
    if (field === 'status') {
      events.push(...statusEvents(v, classify(v, item.to, item.toString), classify(v, item.from, item.fromString), op, k, waarom))
    } else if (field === 'resolution') {
      const was = text(item.from) ?? text(item.fromString)
      const is = text(item.to) ?? text(item.toString)
      if (was === undefined && is !== undefined) events.push(...statusEvents(v, 'opgelost', undefined, op, k, waarom))
      if (was !== undefined && is === undefined) events.push(...statusEvents(v, undefined, 'opgelost', op, k, waarom))
    } else if (field === 'priority') {
      const to = { id: item.to, name: item.toString }
      const p = mapPrioriteit(v, to)
      if (p === undefined) return fout(`unknown priority ${describe(to)}: add it to vertaling.prioriteiten`)
      events.push({ type: 'prioriteit', op, prioriteit: p, kenmerk: `${k}:prioriteit`, toelichting: waarom })
    }
  }
  return { ok: true, melding, events: unique(events) }
}

/**
 * Zendesk (event-subscription webhooks): `detail` is the ticket as it is now. Status and
 * priority changes are derived by comparing with the newest earlier snapshot processed, at this
 * message's `time`, so a skipped delivery still yields its change with the next one.
 */
export function vertaalZendesk (v: Vertaling, body: unknown, eerder: unknown): Vertaald {
  if (!isObj(body) || !isObj(body.detail)) return fout('missing detail (the ticket)')
  const d = body.detail
  const id = text(d.id)
  if (id === undefined) return fout('missing detail.id')
  const gemeldOp = toolTime(d.created_at)
  if (gemeldOp === undefined) return fout(`detail.created_at is missing or not a date-time: ${describe(d.created_at)}`)
  const op = toolTime(body.time)
  if (op === undefined) return fout('missing time')
  const event = isObj(body.event) ? body.event : {}
  const prev = isObj(eerder) && isObj(eerder.detail) ? eerder.detail : undefined
  const startPriority = prev === undefined && String(body.type).endsWith('priority_changed') && 'previous' in event ? event.previous : d.priority
  const prioriteit = mapPrioriteit(v, startPriority)
  if (prioriteit === undefined) return fout(`unknown priority ${describe(startPriority)}: add it to vertaling.prioriteiten`)
  const melding: TicketMelding = { kenmerk: `zendesk:${id}`, onderwerp: cut(`#${id}: ${text(d.subject) ?? ''}`, 1000), gemeldOp, prioriteit, type: v.type, omgeving: v.omgeving }
  const events: NewGebeurtenis[] = []
  const k = `zendesk:${text(body.id) ?? iso(op)}`
  const was = text(prev?.status) ?? 'new'
  const is = text(d.status)
  if (is !== undefined && lower(is) !== lower(was)) {
    events.push(...statusEvents(v, classify(v, undefined, is), classify(v, undefined, was), op, k, `Zendesk #${id}: status ${was} → ${is}`))
  }
  if (prev !== undefined) {
    const p = mapPrioriteit(v, d.priority)
    if (p === undefined) return fout(`unknown priority ${describe(d.priority)}: add it to vertaling.prioriteiten`)
    if (p !== mapPrioriteit(v, prev.priority)) {
      events.push({ type: 'prioriteit', op, prioriteit: p, kenmerk: `${k}:prioriteit`, toelichting: `Zendesk #${id}: priority ${describe(prev.priority)} → ${describe(d.priority)}` })
    }
  }
  return { ok: true, melding, events }
}

/**
 * TOPdesk: the incident as its REST API returns it. Dated facts (`responseDate`, `onHoldDate`,
 * `completedDate`, `closedDate`) give their events whatever came before; what the record holds
 * no time for (the end of a hold, a reopening, a priority change) is found by comparing with the
 * newest earlier snapshot processed, at this snapshot's `modificationDate`.
 */
export function vertaalTopdesk (v: Vertaling, body: unknown, eerder: unknown, ouder: boolean): Vertaald {
  const inc = topdeskIncident(body)
  const id = inc === undefined ? undefined : text(inc.id)
  if (inc === undefined || id === undefined) return fout('missing the incident id')
  const gemeldOp = toolTime(inc.callDate)
  if (gemeldOp === undefined) return fout(`callDate is missing or not a date-time with an offset: ${describe(inc.callDate)}`)
  const mod = toolTime(inc.modificationDate)
  if (mod === undefined) return fout(`modificationDate is missing or not a date-time with an offset: ${describe(inc.modificationDate)}`)
  const prioriteit = mapPrioriteit(v, inc.priority)
  if (prioriteit === undefined) return fout(`unknown priority ${describe(inc.priority)}: add its id or name to vertaling.prioriteiten`)
  const nummer = text(inc.number) ?? id
  const melding: TicketMelding = { kenmerk: `topdesk:${id}`, onderwerp: cut(`${nummer}: ${text(inc.briefDescription) ?? ''}`, 1000), gemeldOp, prioriteit, type: v.type, omgeving: v.omgeving }
  const k = `topdesk:${id}`
  const events: NewGebeurtenis[] = []
  const dated = (flag: unknown, date: unknown): number | undefined => (flag === true ? toolTime(date) : undefined)
  const reactie = dated(inc.responded, inc.responseDate)
  if (reactie !== undefined) events.push({ type: 'reactie', op: reactie, kenmerk: `${k}:reactie:${iso(reactie)}`, toelichting: `TOPdesk ${nummer}: responded at responseDate` })
  // An older snapshot than one already processed changes nothing but its first reaction.
  if (ouder) return { ok: true, melding, events, opmerking: 'older than the newest snapshot processed: only its responseDate was read' }
  const prev = topdeskIncident(eerder)
  const hold = dated(inc.onHold, inc.onHoldDate)
  const prevHold = prev === undefined ? undefined : dated(prev.onHold, prev.onHoldDate)
  const done = dated(inc.completed, inc.completedDate)
  const closed = dated(inc.closed, inc.closedDate)
  if (prevHold !== undefined && hold !== prevHold && done === undefined && closed === undefined) {
    events.push({ type: 'status', op: hold ?? mod, status: 'in-behandeling', kenmerk: `${k}:hervat:${iso(prevHold)}`, toelichting: `TOPdesk ${nummer}: no longer on hold; TOPdesk keeps no resume time, so this is the snapshot's modificationDate` })
  }
  if (hold !== undefined) events.push({ type: 'status', op: hold, status: v.pauzeStatus, kenmerk: `${k}:wacht:${iso(hold)}`, toelichting: `TOPdesk ${nummer}: on hold at onHoldDate` })
  const prevDone = prev === undefined ? undefined : dated(prev.completed, prev.completedDate)
  if (prevDone !== undefined && done === undefined) {
    events.push({ type: 'status', op: mod, status: 'in-behandeling', kenmerk: `${k}:heropend:${iso(prevDone)}`, toelichting: `TOPdesk ${nummer}: completed no more; at the snapshot's modificationDate` })
  }
  if (done !== undefined) events.push({ type: 'status', op: done, status: 'opgelost', kenmerk: `${k}:opgelost:${iso(done)}`, toelichting: `TOPdesk ${nummer}: completed at completedDate` })
  if (closed !== undefined) events.push({ type: 'status', op: closed, status: 'gesloten', sluitreden: v.sluitreden, kenmerk: `${k}:gesloten:${iso(closed)}`, toelichting: `TOPdesk ${nummer}: closed at closedDate` })
  if (prev !== undefined) {
    const before = mapPrioriteit(v, prev.priority)
    if (before !== undefined && before !== prioriteit) {
      events.push({ type: 'prioriteit', op: mod, prioriteit, kenmerk: `${k}:prioriteit:${iso(mod)}`, toelichting: `TOPdesk ${nummer}: priority ${describe(prev.priority)} → ${describe(inc.priority)}, at the snapshot's modificationDate` })
    }
  }
  return { ok: true, melding, events }
}
