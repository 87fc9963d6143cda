import { createHash } from 'node:crypto'
import { hmacSha256, sameSecret } from '../adapters/security/geheimen.js'
import type { Bron, BronKlok, MeldingStatus, MeldingType, Omgeving, Prioriteit, Sluitreden } from '../core/index.js'
import type { NewGebeurtenis } from './meldingen.js'

/**
 * What each ticket tool sends and how it becomes a melding and its events (issue 12; field
 * guide: INTEGRATIONS.md). Everything here works on values: the koppelingen service does the I/O.
 */

export { BRONNEN, type Bron } from '../core/index.js'

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
  /** The type and omgeving of a melding when no field of the ticket says otherwise (`typeVeld`, `omgevingVeld`). */
  type: KoppelingType
  omgeving: Omgeving
  /**
   * Which field of the ticket gives the type (a dotted path in Jira's `issue.fields`, Zendesk's
   * `detail`, the TOPdesk incident; its value, or its `name`/`value`/`id`, case-insensitive); a
   * value not listed, or no such field: `type`. null: `type` for every melding.
   */
  typeVeld: { veld: string, waarden: Array<{ waarde: string, type: KoppelingType }> } | null
  /** Which field says the omgeving, and which of its values (any, for a list such as tags) mean `test`; else `omgeving`. */
  omgevingVeld: { veld: string, test: string[] } | null
  /** The prioriteit of a ticket without one (Zendesk allows none); null: such a message is a `fout`. */
  standaardPrioriteit: Prioriteit | null
  /**
   * Jira Service Management SLA fields, by name, per clock: their `breachTime` is the tool's own
   * deadline (compared with ours), and the first completed cycle's `stopTime` of a `reactie` field
   * is the reaction.
   */
  bronSla: { reactie: string[], functieherstel: string[] }
}

export type KoppelingType = Exclude<MeldingType, 'beveiligingsincident'>

const COMMON: Pick<Vertaling, 'pauzeStatus' | 'sluitreden' | 'type' | 'omgeving' | 'omgevingVeld' | 'standaardPrioriteit' | 'bronSla'> = {
  pauzeStatus: 'wachten-op-klant', sluitreden: 'oplossing-geaccepteerd', type: 'verstoring', omgeving: 'productie',
  omgevingVeld: null, standaardPrioriteit: null, bronSla: { reactie: [], functieherstel: [] }
}

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
    statussen: { reactie: ['In Progress'], pauze: ['Waiting for customer', 'Pending'], nietPauzerend: [], opgelost: ['Resolved'], gesloten: ['Closed'] },
    typeVeld: {
      veld: 'issuetype',
      waarden: [
        { waarde: '[System] Incident', type: 'verstoring' }, { waarde: 'Incident', type: 'verstoring' },
        { waarde: '[System] Service request', type: 'opdracht' }, { waarde: 'Service request', type: 'opdracht' },
        { waarde: '[System] Change', type: 'wens' }, { waarde: 'Change', type: 'wens' }
      ]
    },
    bronSla: { reactie: ['Time to first response'], functieherstel: ['Time to resolution'] }
  },
  zendesk: {
    ...COMMON,
    prioriteiten: [{ waarde: 'urgent', prioriteit: 1 }, { waarde: 'high', prioriteit: 2 }, { waarde: 'normal', prioriteit: 3 }, { waarde: 'low', prioriteit: 4 }],
    prioriteitUitNaam: false,
    statussen: { reactie: ['open'], pauze: ['pending'], nietPauzerend: ['hold'], opgelost: ['solved'], gesloten: ['closed'] },
    typeVeld: {
      veld: 'type',
      waarden: [{ waarde: 'incident', type: 'verstoring' }, { waarde: 'problem', type: 'verstoring' }, { waarde: 'question', type: 'vraag' }, { waarde: 'task', type: 'opdracht' }]
    }
  },
  topdesk: {
    ...COMMON,
    prioriteiten: [],
    prioriteitUitNaam: true,
    statussen: { reactie: [], pauze: [], nietPauzerend: [], opgelost: [], gesloten: [] },
    typeVeld: {
      veld: 'callType',
      waarden: [{ waarde: 'Storing', type: 'verstoring' }, { waarde: 'Vraag', type: 'vraag' }, { waarde: 'Verzoek', type: 'opdracht' }, { waarde: 'Wens', type: 'wens' }]
    }
  }
}

/**
 * A translation as stored, completed with the bron's defaults for what it does not hold (versions
 * stored before a field existed read as if the default had been chosen).
 */
export const volledig = (bron: Bron, stored: Partial<Vertaling>): Vertaling => ({ ...STANDAARD_VERTALING[bron], ...stored })

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

/** Empty, as a tool says "no priority": null, absent, an empty text or `{ id: null, name: null }`. */
const absent = (value: unknown): boolean =>
  value === null || value === undefined || value === '' || (isObj(value) && text(value.id) === undefined && text(value.name) === undefined)

/** The prioriteit of a tool value, or the translation's `standaardPrioriteit` when the ticket has none. */
function prioriteitVan (v: Vertaling, value: unknown): Prioriteit | undefined {
  const p = mapPrioriteit(v, value)
  if (p !== undefined) return p
  return absent(value) && v.standaardPrioriteit !== null ? v.standaardPrioriteit : undefined
}

const unknownPriority = (value: unknown): string => absent(value)
  ? 'the ticket has no priority: set vertaling.standaardPrioriteit to give such tickets one'
  : `unknown priority ${describe(value)}: add its id or name to vertaling.prioriteiten`

/** A value at a dotted path (`customfield_10050`, `optionalFields1.searchlist1`). */
const atPath = (o: Obj, path: string): unknown => path.split('.').reduce<unknown>((x, k) => (isObj(x) ? x[k] : undefined), o)

/** The texts a field's value stands for: itself, an option's `name`/`value`/`id`, or each of a list's (tags). */
const textsOf = (value: unknown): string[] => {
  if (Array.isArray(value)) return value.slice(0, 200).flatMap(textsOf)
  const all = isObj(value) ? [text(value.name), text(value.value), text(value.id)] : [text(value)]
  return all.filter((x): x is string => x !== undefined).map(lower)
}

/** Type and omgeving of a ticket: from the fields the translation names, else its defaults. */
function soortOf (v: Vertaling, ticket: Obj): { type: KoppelingType, omgeving: Omgeving } {
  let type = v.type
  if (v.typeVeld !== null) {
    const values = textsOf(atPath(ticket, v.typeVeld.veld))
    const hit = v.typeVeld.waarden.find((w) => values.includes(lower(w.waarde)))
    if (hit !== undefined) type = hit.type
  }
  let omgeving = v.omgeving
  if (v.omgevingVeld !== null) {
    const values = textsOf(atPath(ticket, v.omgevingVeld.veld))
    if (v.omgevingVeld.test.some((x) => values.includes(lower(x)))) omgeving = 'test'
  }
  return { type, omgeving }
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

/** A deadline the tool itself states (compared with ours; issue 12, item 5). */
export interface ToolDeadline { klok: BronKlok, deadline: number, norm: number | null }

export type Vertaald =
  | {
    ok: true
    /** The melding the ticket is; null: this message cannot make one (a Jira comment), only add to it. */
    melding: TicketMelding | null
    /** The melding's kenmerk, also when `melding` is null. */
    kenmerk: string
    events: NewGebeurtenis[]
    /** What the tool says its deadlines are, and its time of saying it. */
    deadlines: ToolDeadline[]
    bronOp: number
    opmerking?: string
  }
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

/** Epoch milliseconds in a JSM SLA rendering (`{ epochMillis }`). */
const epochOf = (v: unknown): number | undefined => (isObj(v) ? toolTime(v.epochMillis) : undefined)

/**
 * JSM SLA fields of an issue: every field whose value looks like an SLA (`name` and a cycle) and
 * whose name the translation lists for a clock. The ongoing cycle's `breachTime` is the tool's
 * deadline, else the last completed cycle's; the first completed cycle of a reaction SLA stopped
 * at the first response.
 */
function jsmSla (v: Vertaling, fields: Obj): { deadlines: ToolDeadline[], eersteReactie: number | undefined } {
  const deadlines: ToolDeadline[] = []
  let eersteReactie: number | undefined
  for (const value of Object.values(fields)) {
    if (!isObj(value)) continue
    const name = text(value.name)
    if (name === undefined || !(isObj(value.ongoingCycle) || Array.isArray(value.completedCycles))) continue
    const klok: BronKlok | undefined = v.bronSla.reactie.some((n) => lower(n) === lower(name))
      ? 'reactie'
      : v.bronSla.functieherstel.some((n) => lower(n) === lower(name)) ? 'functieherstel' : undefined
    if (klok === undefined) continue
    const completed = Array.isArray(value.completedCycles) ? value.completedCycles.filter(isObj) : []
    const cycle = isObj(value.ongoingCycle) ? value.ongoingCycle : completed[completed.length - 1]
    const deadline = cycle === undefined ? undefined : epochOf(cycle.breachTime)
    if (cycle !== undefined && deadline !== undefined) {
      const norm = isObj(cycle.goalDuration) && typeof cycle.goalDuration.millis === 'number' && cycle.goalDuration.millis >= 0 ? cycle.goalDuration.millis : null
      deadlines.push({ klok, deadline, norm })
    }
    if (klok === 'reactie' && completed[0] !== undefined) eersteReactie ??= epochOf(completed[0].stopTime)
  }
  return { deadlines, eersteReactie }
}

/**
 * Jira: every message describes its own change (changelog), so the order of arrival does not
 * matter. A public comment (`comment_created`, `jsdPublic` not false) is a voortgang; JSM's own
 * first-response cycle, when the issue carries it, gives the reaction at its `stopTime`.
 */
export function vertaalJira (v: Vertaling, body: unknown): Vertaald {
  if (!isObj(body)) return fout('the body is not a JSON object')
  const issue = isObj(body.issue) ? body.issue : undefined
  const fields = issue !== undefined && isObj(issue.fields) ? issue.fields : undefined
  const id = issue === undefined ? undefined : text(issue.id)
  if (issue === undefined || fields === undefined || id === undefined) return fout('missing issue.id or issue.fields')
  const op = toolTime(body.timestamp)
  if (op === undefined) return fout('missing timestamp (epoch milliseconds)')
  const kenmerk = `jira:${id}`
  const display = text(issue.key) ?? id
  const events: NewGebeurtenis[] = []
  const sla = jsmSla(v, fields)
  if (sla.eersteReactie !== undefined) {
    // The same kenmerk and text from every message that carries it: a repeat adds nothing.
    events.push({ type: 'reactie', op: sla.eersteReactie, kenmerk: `${kenmerk}:reactie:jsm`, toelichting: 'Jira Service Management: first response (stopTime of the first completed cycle of its reaction SLA)' })
  }
  const comment = isObj(body.comment) ? body.comment : undefined
  if (body.webhookEvent === 'comment_created' && comment !== undefined) {
    const cid = text(comment.id)
    const at = toolTime(comment.created) ?? op
    if (cid === undefined) return fout('missing comment.id')
    if (comment.jsdPublic !== false) events.push({ type: 'voortgang', op: at, kenmerk: `jira:comment:${cid}`, toelichting: `Jira ${display}: public comment ${cid}` })
  }
  const gemeldOp = toolTime(fields.created)
  // A comment's issue may come without `created`: it adds to the melding an earlier message made.
  if (gemeldOp === undefined && body.webhookEvent === 'comment_created') return { ok: true, melding: null, kenmerk, events: unique(events), deadlines: sla.deadlines, bronOp: op }
  if (gemeldOp === undefined) return fout(`issue.fields.created is missing or not a date-time with an offset: ${describe(fields.created)}`)
  const items = isObj(body.changelog) && Array.isArray(body.changelog.items) ? body.changelog.items.filter(isObj) : []
  const changelogId = isObj(body.changelog) ? text(body.changelog.id) : undefined
  const created = body.webhookEvent === 'jira:issue_created'
  // The priority when the ticket was made: as created, else before this message's change.
  const priorityItem = items.find((i) => i.field === 'priority')
  const startPriority = !created && priorityItem !== undefined ? { id: priorityItem.from, name: priorityItem.fromString } : fields.priority
  const prioriteit = prioriteitVan(v, startPriority)
  if (prioriteit === undefined) return fout(unknownPriority(startPriority))
  const melding: TicketMelding = { kenmerk, onderwerp: cut(`${display}: ${text(fields.summary) ?? ''}`, 1000), gemeldOp, prioriteit, ...soortOf(v, fields) }
  const ok = (): Vertaald => ({ ok: true, melding, kenmerk, events: unique(events), deadlines: sla.deadlines, bronOp: op })
  if (created || items.length === 0) return ok()
  if (changelogId === undefined) return fout('missing changelog.id')
  const k = `jira:${changelogId}`
  for (const item of items) {
    const field = text(item.field)
    const waarom = `Jira ${display}: ${field ?? '?'} ${text(item.fromString) ?? '–'} → ${text(item.toString) ?? '–'}`
    if (field === 'status') {
      events.push(...statusEvents(v, classify(v, item.to, item.toString), classify(v, item.from, item.fromString), op, k, waarom))
    } else if (field === 'resolution') {
      const was = text(item.from) ?? text(item.fromString)
      const is = text(item.to) ?? text(item.toString)
      if (was === undefined && is !== undefined) events.push(...statusEvents(v, 'opgelost', undefined, op, k, waarom))
      if (was !== undefined && is === undefined) events.push(...statusEvents(v, undefined, 'opgelost', op, k, waarom))
    } else if (field === 'priority') {
      const to = { id: item.to, name: item.toString }
      const p = prioriteitVan(v, to)
      if (p === undefined) return fout(unknownPriority(to))
      events.push({ type: 'prioriteit', op, prioriteit: p, kenmerk: `${k}:prioriteit`, toelichting: waarom })
    }
  }
  return ok()
}

const ZENDESK_NEW = 'new'

/**
 * Zendesk (event-subscription webhooks). A `status_changed` or `priority_changed` message says
 * its own change (`event.previous` → `event.current`) at its `time`, so the order of arrival does
 * not matter. A delivery Zendesk lost still shows: when a change's `previous` is not the status of
 * the newest earlier message processed, the change in between happened unseen, and is dated a
 * millisecond before the message that reveals it (and says so). A public staff comment is a
 * voortgang. `detail` (the ticket now) gives the melding.
 */
export function vertaalZendesk (v: Vertaling, body: unknown, eerder: unknown, later?: unknown): Vertaald {
  if (!isObj(body) || !isObj(body.detail)) return fout('missing detail (the ticket)')
  const d = body.detail
  const id = text(d.id)
  if (id === undefined) return fout('missing detail.id')
  const gemeldOp = toolTime(d.created_at)
  if (gemeldOp === undefined) return fout(`detail.created_at is missing or not a date-time: ${describe(d.created_at)}`)
  const op = toolTime(body.time)
  if (op === undefined) return fout('missing time')
  const type = text(body.type) ?? ''
  const event = isObj(body.event) ? body.event : {}
  const prev = isObj(eerder) && isObj(eerder.detail) ? eerder.detail : undefined
  // The priority the ticket was made with: before this change, when this message changes it.
  const startPriority = prev === undefined && type.endsWith('priority_changed') && 'previous' in event ? event.previous : d.priority
  const prioriteit = prioriteitVan(v, startPriority)
  if (prioriteit === undefined) return fout(unknownPriority(startPriority))
  const kenmerk = `zendesk:${id}`
  const melding: TicketMelding = { kenmerk, onderwerp: cut(`#${id}: ${text(d.subject) ?? ''}`, 1000), gemeldOp, prioriteit, ...soortOf(v, d) }
  const events: NewGebeurtenis[] = []
  const k = `zendesk:${text(body.id) ?? iso(op)}`
  const status = (from: string, to: string, at: number, key: string, waarom: string): void => {
    if (lower(from) !== lower(to)) events.push(...statusEvents(v, classify(v, undefined, to), classify(v, undefined, from), at, key, waarom))
  }
  // A change nobody delivered: between two messages, the status after the older one is not the
  // status before the newer one. It is dated a millisecond before the newer message and named
  // after it, so it is the same event whichever of the two arrived last.
  const unseen = (from: string, to: string, newer: Obj): void => {
    const nt = toolTime(newer.time)
    if (nt === undefined) return
    status(from, to, nt - 1, `zendesk:${text(newer.id) ?? iso(nt)}:tussen`, `Zendesk #${id}: became ${lower(to)} before ${iso(nt)} without a delivery saying so (a lost delivery); dated just before the message that shows it`)
  }
  const seen = text(prev?.status)
  let na = text(d.status)
  if (type.endsWith('status_changed')) {
    const from = text(event.previous) ?? seen ?? ZENDESK_NEW
    const to = text(event.current) ?? text(d.status)
    if (to === undefined) return fout('missing event.current (the new status)')
    if (seen !== undefined && lower(seen) !== lower(from)) unseen(seen, from, body)
    status(from, to, op, k, `Zendesk #${id}: status ${from} → ${to}`)
    na = to
  } else if (type.endsWith('ticket.created')) {
    // Made in another status than new (an agent's ticket): that status from the start.
    if (na !== undefined) status(ZENDESK_NEW, na, op, k, `Zendesk #${id}: created with status ${na}`)
  }
  // The next message processed (a later delivery that arrived first) shows the status before it.
  if (isObj(later) && isObj(later.detail) && na !== undefined) {
    const laterEvent = isObj(later.event) ? later.event : {}
    const before = String(later.type).endsWith('status_changed') ? text(laterEvent.previous) : text(later.detail.status)
    if (before !== undefined && lower(before) !== lower(na)) unseen(na, before, later)
  }
  if (type.endsWith('priority_changed') && 'current' in event) {
    const p = prioriteitVan(v, event.current)
    if (p === undefined) return fout(unknownPriority(event.current))
    if (p !== prioriteitVan(v, event.previous)) {
      events.push({ type: 'prioriteit', op, prioriteit: p, kenmerk: `${k}:prioriteit`, toelichting: `Zendesk #${id}: priority ${describe(event.previous)} → ${describe(event.current)}` })
    }
  }
  const comment = isObj(event.comment) ? event.comment : undefined
  if (type.endsWith('comment_added') && comment !== undefined) {
    const author = isObj(comment.author) ? comment.author : {}
    const cid = text(comment.id) ?? text(body.id) ?? iso(op)
    if (comment.is_public !== false && author.is_staff !== false) events.push({ type: 'voortgang', op, kenmerk: `zendesk:comment:${cid}`, toelichting: `Zendesk #${id}: public comment ${cid}` })
  }
  return { ok: true, melding, kenmerk, events, deadlines: [], bronOp: op }
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
  const prioriteit = prioriteitVan(v, inc.priority)
  if (prioriteit === undefined) return fout(unknownPriority(inc.priority))
  const nummer = text(inc.number) ?? id
  const k = `topdesk:${id}`
  const melding: TicketMelding = { kenmerk: k, onderwerp: cut(`${nummer}: ${text(inc.briefDescription) ?? ''}`, 1000), gemeldOp, prioriteit, ...soortOf(v, inc) }
  // TOPdesk's own deadlines (SLM): the SLA's, else the incident's target date.
  const sla = isObj(inc.sla) ? inc.sla : {}
  const deadlines: ToolDeadline[] = []
  const target = toolTime(sla.targetDate) ?? toolTime(inc.targetDate)
  const responseTarget = toolTime(sla.responseTargetDate) ?? toolTime(inc.responseTargetDate)
  if (responseTarget !== undefined) deadlines.push({ klok: 'reactie', deadline: responseTarget, norm: null })
  if (target !== undefined) deadlines.push({ klok: 'functieherstel', deadline: target, norm: null })
  const ok = (opmerking?: string): Vertaald => ({ ok: true, melding, kenmerk: k, events, deadlines, bronOp: mod, ...(opmerking === undefined ? {} : { opmerking }) })
  const events: NewGebeurtenis[] = []
  const dated = (flag: unknown, date: unknown): number | undefined => (flag === true ? toolTime(date) : undefined)
  const reactie = dated(inc.responded, inc.responseDate)
  if (reactie !== undefined) events.push({ type: 'reactie', op: reactie, kenmerk: `${k}:reactie:${iso(reactie)}`, toelichting: `TOPdesk ${nummer}: responded at responseDate` })
  // Issue 13: a snapshot read through the API carries the progress trail ({ incident, progresstrail }):
  // entries by an operator that the caller may see are progress updates, at their entryDate.
  const trail = isObj(body) && Array.isArray(body.progresstrail) ? body.progresstrail.filter(isObj) : []
  for (const e of trail) {
    const eid = text(e.id)
    const at = toolTime(e.entryDate) ?? toolTime(e.creationDate)
    if (eid === undefined || at === undefined || e.invisibleForCaller === true || !isObj(e.operator)) continue
    events.push({ type: 'voortgang', op: at, kenmerk: `${k}:voortgang:${eid}`, toelichting: cut(`TOPdesk ${nummer}: ${text(e.plainText) ?? text(e.memoText) ?? text(e.title) ?? text(e.fileName) ?? 'progress trail entry'}`, 4000) })
  }
  // An older snapshot than one already processed changes nothing but its first reaction.
  if (ouder) return ok('older than the newest snapshot processed: only its responseDate and deadlines were read')
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
  return ok()
}
