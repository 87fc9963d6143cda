// Fuzzes the whole API from its own OpenAPI document (issue 10, item 3): for every operation,
// requests generated from the documented schemas, valid and mutated, with the keys of every
// role and real ids, so valid requests reach the database. It asserts that no answer is a 5xx,
// that every error is problem+json (a 400 naming the field), that every 2xx has a documented
// status and matches its documented schema (checked with the project's own formats), that the
// headers of the NL API Design Rules are on every answer, and that a refused write wrote nothing.
//
// Seeded and bounded: FUZZ_SEED (default below) seeds every property, FUZZ_RUNS (default 60)
// is the number of requests per operation, FUZZ_ONLY picks operations. A failure prints the
// seed, the operation, the request and the answer. About 2,300 requests, 25–50 s.
//
// The generator from JSON Schema to fast-check arbitraries is written here, over the subset the
// document uses: maintained libraries do not fit (json-schema-fast-check needs fast-check 1 and
// faker 4; json-schema-faker has its own random source, so neither fast-check's seed nor its
// shrinking would reach it), and our formats (instants with offsets, durations without days,
// canonical uuids) need generators of their own anyway.
import { createHmac } from 'node:crypto'
import { createRequire } from 'node:module'
import t from 'tap'
import fc from 'fast-check'
import { Ajv, type ValidateFunction } from 'ajv'
import { sql } from 'kysely'
import { addApiFormats } from '../../src/http/formats.js'
import { API_VERSION } from '../../src/version.js'
import { BOOTSTRAP, build, standardContract, withKeys, type TestApp } from '../helpers/app.js'
import { DB_KIND } from '../helpers/database.js'

const addFormats = createRequire(import.meta.url)('ajv-formats') as (ajv: Ajv) => Ajv

const DEFAULT_SEED = 20261130
const SEED = process.env.FUZZ_SEED === undefined ? DEFAULT_SEED : Number(process.env.FUZZ_SEED)
const RUNS = process.env.FUZZ_RUNS === undefined ? 60 : Number(process.env.FUZZ_RUNS)
// FUZZ_ONLY: a regular expression of the operations to fuzz (`POST /meldingen`), to reproduce one.
const ONLY = process.env.FUZZ_ONLY === undefined ? undefined : new RegExp(`^${process.env.FUZZ_ONLY}$`)
// A fixed clock inside office hours and with milliseconds (Tuesday 10:00:00.500 Amsterdam), so
// clocks run and durations have fractions of a second.
const NOW = Date.parse('2026-03-10T09:00:00.500Z')
// Mutation classes that a schema cannot refuse but the service does (src/http/plugins/strict-text.ts):
// a NUL byte or an unpaired surrogate in any text is a 400 naming the field.
const REFUSED_BEYOND_SCHEMA: ReadonlySet<string> = new Set(['nul', 'surrogate'])

type Json = null | boolean | number | string | Json[] | { [k: string]: Json }
type Schema = Record<string, any>
type Role = 'beheerder' | 'lezer' | 'leverancier' | 'otherLeverancier' | 'monitor' | 'none'

interface Ids {
  leveranciers: string[]
  contracten: string[]
  diensten: string[]
  meldingen: string[]
  rapportages: string[]
  sleutels: string[]
  /** keys only DELETE may revoke, so that the role keys keep working */
  victims: string[]
  koppelingen: string[]
  /** inbox messages of the first koppeling, for `{berichtId}` */
  berichten: string[]
  abonnementen: string[]
  /** abonnementen only DELETE may stop, so that the others keep taking test sends */
  stopbaar: string[]
  /** deliveries of the first abonnement, for `{afleveringId}` */
  afleveringen: string[]
  /** a history import of the TOPdesk koppeling, for `{importId}` (issue 13) */
  importen: string[]
}

/**
 * Operations not fuzzed here, and why. The inbound webhook takes no API key: the tool signs each
 * message with the koppeling's secret, which generated requests cannot; test/http/koppelingen.test.ts
 * fuzzes it with unsigned and signed random bodies instead.
 */
const NOT_FUZZED: ReadonlySet<string> = new Set(['POST /koppelingen/{id}/berichten'])

interface Request {
  role: Role
  id?: string | undefined
  query: Record<string, string | string[]>
  body?: Json | undefined
  accept?: string | undefined
  /** the mutation, when there is one: its class and the field it changed */
  mutation?: { kind: string, field: string, part: 'path' | 'query' | 'body' }
}

// ---------------------------------------------------------------------------------------------
// JSON Schema → fast-check

const pad = (n: number, w = 2): string => String(n).padStart(w, '0')

/**
 * An instant with one of a few offsets, to the second (or millisecond): mostly in 2025–2027,
 * sometimes anywhere in the documented years 1970–2199, their edges included.
 */
const instantArb: fc.Arbitrary<string> = fc.tuple(
  fc.oneof(
    { weight: 9, arbitrary: fc.integer({ min: Date.UTC(2025, 0, 1) / 1000, max: Date.UTC(2027, 11, 31) / 1000 }) },
    { weight: 1, arbitrary: fc.integer({ min: Date.UTC(1970, 0, 1) / 1000 + 6 * 3600, max: Date.UTC(2200, 0, 1) / 1000 - 6 * 3600 }) },
    { weight: 1, arbitrary: fc.constantFrom(Date.UTC(1970, 0, 1, 8) / 1000, Date.UTC(2199, 11, 31, 16) / 1000) }
  ),
  fc.constantFrom(0, 60, 120, -300, 330),
  fc.option(fc.integer({ min: 0, max: 999 }))
).map(([s, offMin, ms]) => {
  const local = new Date(s * 1000 + offMin * 60_000)
  const off = offMin === 0 ? 'Z' : `${offMin < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offMin) / 60))}:${pad(Math.abs(offMin) % 60)}`
  return `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}${ms === null ? '' : `.${pad(ms, 3)}`}${off}`
})
const dateArb = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10))
/** A duration in hours, minutes and seconds: mostly up to 200 hours, sometimes up to the largest one parseDuration takes. */
const durationArb = fc.tuple(
  fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 0, max: 200 }) }, { weight: 1, arbitrary: fc.integer({ min: 201, max: 2_500_000_000 }) }),
  fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 }),
  fc.option(fc.integer({ min: 1, max: 999 }), { freq: 4 })
).map(([h, m, s, ms]) => (h + m + s === 0 && ms === null
  ? 'PT0S'
  : `PT${h > 0 ? `${h}H` : ''}${m > 0 ? `${m}M` : ''}${s > 0 || ms !== null ? `${s}${ms === null ? '' : `.${pad(ms, 3)}`}S` : ''}`))
const uuidArb = fc.uuid({ version: 4 })

/** Which real ids a field of that name takes. */
const ID_FIELDS: Readonly<Record<string, keyof Ids>> = { contract: 'contracten', leverancier: 'leveranciers', dienst: 'diensten', diensten: 'diensten', melding: 'meldingen' }

function makeGenerator (doc: Schema, ids: Ids) {
  const resolve = (s: Schema): Schema => {
    let out = s
    while (typeof out.$ref === 'string') out = doc.components.schemas[out.$ref.split('/').pop() as string]
    return out
  }
  const idArb = (kind: keyof Ids): fc.Arbitrary<string> => fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...ids[kind]) }, { weight: 1, arbitrary: uuidArb })

  const gen = (schema: Schema, name = ''): fc.Arbitrary<Json> => {
    const s = resolve(schema)
    if (s.anyOf !== undefined || s.oneOf !== undefined) return fc.oneof(...((s.anyOf ?? s.oneOf) as Schema[]).map((b): fc.Arbitrary<Json> => gen(b, name)))
    if (s.enum !== undefined) return fc.constantFrom(...s.enum as Json[])
    if (s.const !== undefined) return fc.constant(s.const as Json)
    switch (s.type) {
      case 'string': {
        if (s.format === 'uuid') return ID_FIELDS[name] === undefined ? uuidArb : idArb(ID_FIELDS[name])
        if (s.format === 'date-time') return instantArb
        if (s.format === 'date') return dateArb
        if (s.format === 'duration') return durationArb
        if (s.format === 'interval') return fc.tuple(instantArb, instantArb).map(([a, b]) => (a < b ? `${a}/${b}` : `${b}/${a}`))
        if (s.pattern !== undefined) return fc.stringMatching(new RegExp(s.pattern))
        const minLength = s.minLength ?? 0
        return fc.oneof(
          fc.string({ minLength, maxLength: Math.min(s.maxLength ?? 40, minLength + 40) }),
          fc.string({ unit: 'grapheme', minLength, maxLength: Math.min(s.maxLength ?? 10, minLength + 10) })
        )
      }
      case 'integer': return fc.integer({ min: s.minimum ?? -1000, max: s.maximum ?? 1000 })
      case 'number': return fc.double({ min: s.minimum ?? -1000, max: s.maximum ?? 1000, noNaN: true, noDefaultInfinity: true })
      case 'boolean': return fc.boolean()
      case 'null': return fc.constant(null)
      case 'array': {
        const minLength = s.minItems ?? 0
        const maxLength = Math.min(s.maxItems ?? 4, minLength + 3)
        const items = gen(s.items ?? {}, name)
        return s.uniqueItems === true
          ? fc.uniqueArray(items, { minLength, maxLength, selector: (v) => JSON.stringify(v) })
          : fc.array(items, { minLength, maxLength })
      }
      case 'object': {
        const required = new Set<string>(s.required ?? [])
        const props: Record<string, fc.Arbitrary<Json>> = {}
        for (const [k, v] of Object.entries<Schema>(s.properties ?? {})) props[k] = gen(v, k)
        return fc.record(props, { requiredKeys: [...required] }) as fc.Arbitrary<Json>
      }
      default: return fc.jsonValue() as unknown as fc.Arbitrary<Json>
    }
  }
  return { gen, resolve }
}

/**
 * What the schemas cannot say, so that generated bodies also pass the rules behind them and
 * reach the database: an event carries the fields of its type, a contract one norm per
 * prioriteit. Applied to half the bodies of the operation; the other half stays as generated.
 */
const FIXUPS: Readonly<Record<string, (body: any) => Json>> = {
  'POST /meldingen/{id}/gebeurtenissen': (body) => {
    const fix = (e: any, i: number): any => {
      const out = { ...e }
      if (out.type === 'status') out.status ??= 'in-behandeling'
      else delete out.status
      if (out.type === 'status' && out.status === 'gesloten') out.sluitreden ??= 'oplossing-geaccepteerd'
      else delete out.sluitreden
      if (out.type === 'prioriteit' || out.type === 'prioriteit-betwist') out.prioriteit ??= 3
      else delete out.prioriteit
      if (typeof out.toelichting !== 'string' || out.toelichting.trim() === '') out.toelichting = 'toelichting'
      if (typeof out.kenmerk === 'string') out.kenmerk = `${out.kenmerk}-${i}`
      return out
    }
    return Array.isArray(body) ? body.map(fix) : fix(body, 0)
  },
  // Issue 13: read access to TOPdesk only on a topdesk koppeling, with an https URL.
  'POST /koppelingen': (body) => (body.topdesk !== null && typeof body.topdesk === 'object' ? { ...body, bron: 'topdesk', topdesk: { ...body.topdesk, url: 'https://topdesk.example.nl/tas/api', applicatiewachtwoord: 'x' } } : body),
  'PATCH /koppelingen/{id}': (body) => (body.topdesk !== null && typeof body.topdesk === 'object' ? { ...body, topdesk: { ...body.topdesk, url: 'https://topdesk.example.nl/tas/api' } } : body),
  'POST /koppelingen/{id}/importen': (body) => ({ ...body, vanaf: '2026-01-01' }),
  'POST /contracten': (body) => Array.isArray(body.normen) ? { ...body, normen: body.normen.map((n: any, i: number) => ({ ...n, prioriteit: i + 1 })) } : body,
  'PATCH /contracten/{id}': (body) => Array.isArray(body.normen) ? { ...body, normen: body.normen.map((n: any, i: number) => ({ ...n, prioriteit: i + 1 })) } : body,
  // A document carries the fields of its soort only (issue 15).
  'POST /contracten/{id}/documenten': (body) => {
    const { jaar, type, periodeVan, periodeTot, geldigTot, ...rest } = body
    if (rest.soort === 'upgradebeleid') return { ...rest, jaar: jaar ?? 2027 }
    if (rest.soort === 'tpm') return { ...rest, type: type ?? 'isae-3402', periodeVan: '2025-01-01', periodeTot: '2025-12-31' }
    return { ...rest, geldigTot: geldigTot ?? '2027-06-30' }
  },
  'POST /abonnementen': (body) => {
    const { url, adressen, niveau, ...rest } = body
    if (body.soort === 'webhook') return { ...rest, url: 'https://ontvanger.example.nl/signalen' }
    if (body.soort === 'email') return { ...rest, adressen: ['beheer@example.nl'] }
    return { ...rest, niveau: [1, 2, 3].includes(niveau) ? niveau : 2 }
  },
  'PUT /contracten/{id}/escalatiematrix': (body) => ({
    ...body,
    contacten: [1, 2, 3].flatMap((niveau) => ['opdrachtgever', 'opdrachtnemer'].map((partij) => ({ niveau, partij, rol: 'rol', naam: 'naam', email: 'a@example.nl', telefoon: null })))
  })
}

// ---------------------------------------------------------------------------------------------
// Mutations

/** Every place in a JSON value, as a path of keys. */
function places (v: Json, at: Array<string | number> = []): Array<Array<string | number>> {
  const out: Array<Array<string | number>> = [at]
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...places(x, [...at, i])))
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...places(x, [...at, k]))
  return out
}
/** `resultaten[2].op`, as the API names a field. */
const fieldName = (at: Array<string | number>): string => at.reduce<string>((acc, p) => typeof p === 'number' ? `${acc}[${p}]` : acc === '' ? p : `${acc}.${p}`, '')
const getAt = (v: Json, at: Array<string | number>): Json => at.reduce<Json>((x, p) => (x as any)[p], v)
function setAt (v: Json, at: Array<string | number>, value: Json | undefined): Json {
  if (at.length === 0) return value as Json
  const copy = structuredClone(v) as any
  const parent = at.slice(0, -1).reduce((x, p) => x[p], copy)
  const last = at[at.length - 1] as string | number
  if (value === undefined) delete parent[last]
  else parent[last] = value
  return copy
}

const UUID_LIKE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const YEAR_FIRST = /^\d{4}-/

type Weighted<T> = fc.WeightedArbitrary<T>
const w = <T>(weight: number, arbitrary: fc.Arbitrary<T>): Weighted<T> => ({ weight, arbitrary })

/** Replacements for a string value, by mutation class; the classes of issue 10 weigh most. */
const stringMutants = (v: string): Array<Weighted<[string, Json]>> => [
  w(1, fc.constant<[string, Json]>(['nul', `${v}\u0000`])),
  w(1, fc.constant<[string, Json]>(['surrogate', `${v}\uD800`])),
  w(1, fc.constantFrom<[string, Json]>(['wrong-type', 42], ['wrong-type', true], ['wrong-type', null], ['wrong-type', [v]], ['wrong-type', { v }])),
  w(1, fc.constant<[string, Json]>(['too-long', 'x'.repeat(5000)])),
  ...(UUID_LIKE.test(v) ? [w(4, fc.constantFrom<[string, Json]>(['id-urn', `urn:uuid:${v}`], ['id-upper', v.toUpperCase()], ['id-braces', `{${v}}`]))] : []),
  ...(YEAR_FIRST.test(v) ? [w(4, fc.integer({ min: 0, max: 99 }).map<[string, Json]>((y) => ['year-0000-0099', `${pad(y, 4)}${v.slice(4)}`]))] : []),
  w(1, fc.constantFrom<[string, Json]>(['garbage', ''], ['garbage', ' '], ['garbage', 'gisteren'], ['garbage', '2026-02-30T10:00:00Z'], ['garbage', 'PT'], ['garbage', 'P1D']))
]
const numberMutants = (): Weighted<[string, Json]> => w(6, fc.constantFrom<[string, Json]>(
  ['out-of-range', -1], ['out-of-range', 0], ['out-of-range', 1e12], ['out-of-range', 288230376151711744], ['out-of-range', 2.5],
  ['out-of-range', -1e308], ['wrong-type', '1'], ['wrong-type', null], ['wrong-type', [1]]
))

function bodyMutation (body: Json): fc.Arbitrary<{ body: Json | undefined, kind: string, field: string }> {
  const all = places(body)
  return fc.constantFrom(...all).chain((at) => {
    const v = getAt(body, at)
    const name = fieldName(at) === '' ? 'body' : fieldName(at)
    const options: Array<Weighted<[string, Json | undefined]>> = [
      w(1, fc.constantFrom<[string, Json | undefined]>(['wrong-type', 'x'], ['wrong-type', 7], ['wrong-type', false]))
    ]
    if (typeof v === 'string') options.push(...stringMutants(v))
    if (typeof v === 'number') options.push(numberMutants())
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      options.push(w(1, fc.constant<[string, Json | undefined]>(['unknown-field', { ...v, onbekendVeld: 1 }])))
      for (const k of Object.keys(v)) options.push(w(1, fc.constant<[string, Json | undefined]>(['missing-field', setAt(v, [k], undefined)])))
    }
    if (Array.isArray(v)) options.push(w(1, fc.constantFrom<[string, Json | undefined]>(['wrong-type', []], ['wrong-type', {}])))
    return fc.oneof(...options).map(([kind, value]) => ({ body: setAt(body, at, value), kind, field: name }))
  })
}

function queryMutation (query: Record<string, string | string[]>, names: readonly string[]): fc.Arbitrary<{ query: Record<string, string | string[]>, kind: string, field: string }> {
  return fc.oneof(w(5, fc.constantFrom(...(names.length === 0 ? ['onbekend'] : names))), w(1, fc.constant('onbekend'))).chain((name) => {
    const v = query[name]
    const s = typeof v === 'string' ? v : Array.isArray(v) ? v[0] ?? '' : ''
    const options: Array<Weighted<[string, string | string[]]>> = [
      w(2, fc.constantFrom<[string, string | string[]]>(['wrong-type', 'abc'], ['wrong-type', ''], ['wrong-type', '1.5'], ['wrong-type', '-1'])),
      w(1, fc.constant<[string, string | string[]]>(['nul', `${s}\u0000`])),
      w(1, fc.constant<[string, string | string[]]>(['surrogate', `${s}\uD800`]))
    ]
    if (name === 'page' || name === 'pageSize') options.push(w(4, fc.constantFrom<[string, string | string[]]>(['huge-page', '288230376151711744'], ['huge-page', '1e30'], ['huge-page', '9007199254740993'], ['huge-page', '1000001'])))
    if (UUID_LIKE.test(s)) options.push(w(4, fc.constantFrom<[string, string | string[]]>(['id-urn', `urn:uuid:${s}`], ['id-upper', s.toUpperCase()])))
    if (YEAR_FIRST.test(s)) options.push(w(4, fc.integer({ min: 0, max: 99 }).map<[string, string | string[]]>((y) => ['year-0000-0099', `${pad(y, 4)}${s.slice(4)}`])))
    if (name === 'onbekend') options.splice(0, options.length, w(1, fc.constant<[string, string | string[]]>(['unknown-field', '1'])))
    return fc.oneof(...options).map(([kind, value]) => ({ query: { ...query, [name]: value }, kind, field: name }))
  })
}

const pathMutants = (id: string): fc.Arbitrary<[string, string]> => fc.oneof(
  fc.constantFrom<[string, string]>(['id-urn', `urn:uuid:${id}`], ['id-upper', id.toUpperCase()], ['garbage', 'abc'], ['garbage', '0'], ['garbage', `${id}x`]),
  fc.integer({ min: 0, max: 99 }).map<[string, string]>((y) => ['garbage', `${pad(y, 4)}-01-01`]),
  fc.constant<[string, string]>(['nul', `${id}\u0000`]),
  fc.constant<[string, string]>(['surrogate', `${id}\uD800`])
)

// ---------------------------------------------------------------------------------------------

const percent = (s: string): string => {
  // encodeURIComponent refuses an unpaired surrogate: send its (invalid) UTF-8 bytes as such.
  let out = ''
  for (const ch of s) out += /[\uD800-\uDFFF]/.test(ch) ? '%ED%A0%80' : encodeURIComponent(ch)
  return out
}
const queryString = (q: Record<string, string | string[]>): string => {
  const parts: string[] = []
  for (const [k, v] of Object.entries(q)) for (const x of [v].flat()) parts.push(`${percent(k)}=${percent(x)}`)
  return parts.length === 0 ? '' : `?${parts.join('&')}`
}

function makeAjv (coerceTypes: boolean | 'array'): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: true, coerceTypes })
  addFormats(ajv)
  return addApiFormats(ajv)
}
/** `#/components/schemas/X` → `https://sla-monitor.test/openapi.json#/components/schemas/X`, so one Ajv resolves them. */
const rebase = (s: unknown): unknown => JSON.parse(JSON.stringify(s).replace(/"#\/components\//g, '"https://sla-monitor.test/openapi.json#/components/'))

t.test(`fuzz the API from its OpenAPI document (${DB_KIND}, FUZZ_SEED=${SEED}, ${RUNS} runs per operation)`, async (t) => {
  const started = Date.now()
  const { app, call, handle } = await build(t, { clock: () => NOW })
  const { keys, leverancierId, otherLeverancierId } = await withKeys(call)
  const ok = async (p: Promise<TestApp['call'] extends (...a: any[]) => Promise<infer R> ? R : never>): Promise<any> => {
    const r = await p
    if (r.statusCode >= 300) throw new Error(`setup: ${r.statusCode} ${r.body}`)
    return r.data
  }
  // Real ids of every kind, for both leveranciers, so that valid requests reach the database.
  const contracten = [await standardContract(call, leverancierId), await standardContract(call, otherLeverancierId)]
  const diensten: string[] = []
  for (const c of contracten) diensten.push((await ok(call(BOOTSTRAP, { method: 'POST', url: '/api/v1/diensten', payload: { contract: c, naam: 'Portaal' } }))).id)
  const meldingen: string[] = []
  for (const [i, c] of contracten.entries()) {
    const m = await ok(call(BOOTSTRAP, { method: 'POST', url: '/api/v1/meldingen', payload: { contract: c, kenmerk: `SEED-${i}`, onderwerp: 'x', type: 'verstoring', prioriteit: 2, gemeldOp: '2026-03-05T10:00:00+01:00' } }))
    await ok(call(BOOTSTRAP, { method: 'POST', url: `/api/v1/meldingen/${m.id}/gebeurtenissen`, payload: [{ type: 'reactie', op: '2026-03-05T10:30:00+01:00', kenmerk: 'r' }, { type: 'status', status: 'in-behandeling', op: '2026-03-05T11:00:00+01:00', kenmerk: 's' }] }))
    meldingen.push(m.id)
  }
  await ok(call(BOOTSTRAP, { method: 'POST', url: `/api/v1/diensten/${diensten[0]}/metingen`, payload: [{ op: '2026-03-02T09:00:00Z', beschikbaar: true, responstijdMs: 120 }, { op: '2026-03-02T09:01:00Z', beschikbaar: false }] }))
  const rapportages = [(await ok(call(BOOTSTRAP, { method: 'POST', url: '/api/v1/rapportages', payload: { contract: contracten[0], periode: '2026-Q1' } }))).id]
  const monitorKey = await ok(call(BOOTSTRAP, { method: 'POST', url: '/api/v1/sleutels', payload: { rol: 'monitor', diensten: [diensten[0]] } }))
  const victims: string[] = []
  for (let i = 0; i < 3; i++) victims.push((await ok(call(BOOTSTRAP, { method: 'POST', url: '/api/v1/sleutels', payload: { rol: 'lezer', omschrijving: 'victim' } }))).id)
  const sleutels = (await ok(call(BOOTSTRAP, { method: 'GET', url: '/api/v1/sleutels' }))).resultaten.map((s: { id: string }) => s.id)
  // A koppeling per contract, and one message in the first one's inbox (signed as Jira signs).
  const koppelingen: Array<{ id: string, geheim: string }> = []
  for (const c of contracten) koppelingen.push(await ok(call(BOOTSTRAP, { method: 'POST', url: '/api/v1/koppelingen', payload: { contract: c, bron: 'jira', naam: 'Jira' } })))
  const message = JSON.stringify({ timestamp: NOW, webhookEvent: 'jira:issue_created', issue: { id: '1', key: 'F-1', fields: { summary: 'x', created: '2026-03-05T10:00:00.000+0100', priority: { name: 'Blocker' } } } })
  // Issue 13: a TOPdesk koppeling with read access (never read here: no job runs), and an import of it.
  const topdesk = await ok(call(BOOTSTRAP, { method: 'POST', url: '/api/v1/koppelingen', payload: { contract: contracten[0], bron: 'topdesk', naam: 'TOPdesk', topdesk: { url: 'https://topdesk.example.nl/tas/api', gebruiker: 'sla', applicatiewachtwoord: 'x' } } }))
  const importId = (await ok(call(BOOTSTRAP, { method: 'POST', url: `/api/v1/koppelingen/${topdesk.id as string}/importen`, payload: { vanaf: '2026-01-01' } }))).id as string
  const first = koppelingen[0] as { id: string, geheim: string }
  const bericht = await ok(call(null, { method: 'POST', url: `/api/v1/koppelingen/${first.id}/berichten`, payload: message, headers: { 'content-type': 'application/json', 'x-hub-signature': `sha256=${createHmac('sha256', first.geheim).update(message).digest('hex')}` } }))
  // Signalen: an escalation matrix, an abonnement per leverancier's contract, and one delivery (a test send).
  const contacten = [1, 2, 3].flatMap((niveau) => ['opdrachtgever', 'opdrachtnemer'].map((partij) => ({ niveau, partij, rol: 'rol', naam: 'naam', email: 'a@example.nl', telefoon: null })))
  for (const c of contracten) await ok(call(BOOTSTRAP, { method: 'PUT', url: `/api/v1/contracten/${c}/escalatiematrix`, payload: { contacten } }))
  const abonnementen = [(await ok(call(keys.leverancier, { method: 'POST', url: '/api/v1/abonnementen', payload: { soort: 'email', adressen: ['a@example.nl'] } }))).id, (await ok(call(BOOTSTRAP, { method: 'POST', url: '/api/v1/abonnementen', payload: { soort: 'webhook', url: 'https://ontvanger.example.nl/x' } }))).id]
  const stopbaar: string[] = []
  for (let i = 0; i < 3; i++) stopbaar.push((await ok(call(keys.leverancier, { method: 'POST', url: '/api/v1/abonnementen', payload: { soort: 'escalatie', niveau: 1, contract: contracten[0] } }))).id)
  const aflevering = await ok(call(BOOTSTRAP, { method: 'POST', url: `/api/v1/abonnementen/${abonnementen[0] as string}/test` }))
  const ids: Ids = { leveranciers: [leverancierId, otherLeverancierId], contracten, diensten, meldingen, rapportages, sleutels, victims, koppelingen: [...koppelingen.map((k) => k.id), topdesk.id], berichten: [bericht.id], importen: [importId], abonnementen, stopbaar, afleveringen: [aflevering.id] }
  const secrets: Record<Role, string | null> = { ...keys, monitor: monitorKey.sleutel, none: null }

  const doc = app.swagger() as Schema
  const { gen, resolve } = makeGenerator(doc, ids)
  const bodyAjv = makeAjv(false)
  const paramAjv = makeAjv('array')
  const responseAjv = makeAjv(false)
  for (const a of [bodyAjv, paramAjv, responseAjv]) a.addSchema({ $id: 'https://sla-monitor.test/openapi.json', components: rebase(doc.components) as Schema })

  const tables = (await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`.execute(handle.db)).rows.map((r) => r.name)
  // The content of every table, not only its row count: a refused request must neither add, remove nor change a row.
  const contentQuery = sql.raw(`select ${tables.map((x) => `(select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) from "${x}" t) as "${x}"`).join(', ')}`)
  const tableContents = async (): Promise<string> => JSON.stringify((await contentQuery.execute(handle.db)).rows[0])

  let requests = 0
  /** per operation: how many answers of each status */
  const statuses = new Map<string, Map<number, number>>()
  const classes = new Map<string, number>()

  const operations = Object.entries(doc.paths as Record<string, Record<string, Schema>>)
    .flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method: method.toUpperCase(), op })))
    .filter(({ path, method }) => !NOT_FUZZED.has(`${method} ${path}`))
  t.ok(operations.length >= 35, `${operations.length} operations in the document`)

  for (const [index, { path, method, op }] of operations.entries()) {
    if (ONLY !== undefined && !ONLY.test(`${method} ${path}`)) continue
    const route = `/api/v1${path.replace(/\{(\w+)\}/g, ':$1')}`
    const access = app.accessTable.find((r) => r.method === method && r.url === route)?.access
    if (access === undefined || access === 'public') throw new Error(`${method} ${path}: no access entry`)
    const resource = path.split('/')[1] as string
    const idKind: keyof Ids = method === 'DELETE' && resource === 'sleutels' ? 'victims' : method === 'DELETE' && resource === 'abonnementen' ? 'stopbaar' : ({ leveranciers: 'leveranciers', sleutels: 'sleutels', contracten: 'contracten', meldingen: 'meldingen', diensten: 'diensten', rapportages: 'rapportages', koppelingen: 'koppelingen', abonnementen: 'abonnementen' } as Record<string, keyof Ids>)[resource] ?? 'contracten'
    const params: Schema[] = op.parameters ?? []
    const hasId = params.some((p) => p.in === 'path')
    const queryParams = params.filter((p) => p.in === 'query')
    const querySchema = { type: 'object', properties: Object.fromEntries(queryParams.map((p) => [p.name, p.schema])), required: queryParams.filter((p) => p.required === true).map((p) => p.name), additionalProperties: false }
    const bodySchema: Schema | undefined = op.requestBody?.content?.['application/json']?.schema
    const validQuery = paramAjv.compile(rebase(querySchema) as Schema)
    const validId = paramAjv.compile(rebase({ type: 'string', format: 'uuid' }) as Schema)
    const validBody = bodySchema === undefined ? undefined : bodyAjv.compile(rebase(bodySchema) as Schema)
    const produced = [...new Set(Object.entries<Schema>(op.responses).filter(([status]) => status.startsWith('2')).flatMap(([, r]) => Object.keys(r.content ?? {})))]
    const responseValidators = new Map<string, ValidateFunction>()
    for (const [status, r] of Object.entries<Schema>(op.responses)) {
      const schema = r.content?.['application/json']?.schema
      if (status.startsWith('2') && schema !== undefined) responseValidators.set(status, responseAjv.compile(rebase(schema) as Schema))
    }

    // One query value: arrays (pauze) as repeated parameters, the rest as text.
    const queryArb = fc.record(Object.fromEntries(queryParams.map((p) => {
      const s = resolve(p.schema)
      const a = gen(s, p.name).map((v): string | string[] => Array.isArray(v) ? v.map(String) : String(v))
      return [p.name, a]
    })), { requiredKeys: queryParams.filter((p) => p.required === true).map((p) => p.name) }) as fc.Arbitrary<Record<string, string | string[]>>
    const roleArb = fc.oneof(
      { weight: 6, arbitrary: fc.constant<Role>('beheerder') },
      { weight: 3, arbitrary: fc.constantFrom<Role>(...(access as readonly Role[]), ...(access.includes('leverancier') ? ['otherLeverancier' as Role] : [])) },
      { weight: 1, arbitrary: fc.constantFrom<Role>('lezer', 'leverancier', 'monitor', 'none') }
    )
    const base = fc.record({
      role: roleArb,
      id: hasId ? fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...ids[idKind]) }, { weight: 1, arbitrary: uuidArb }) : fc.constant(undefined),
      query: queryArb,
      body: bodySchema === undefined
        ? fc.constant(undefined)
        : FIXUPS[`${method} ${path}`] === undefined ? gen(bodySchema) : fc.oneof(gen(bodySchema), gen(bodySchema).map(FIXUPS[`${method} ${path}`] as (b: Json) => Json)),
      // What clients send, and now and then a media type the operation may not produce (406).
      accept: fc.oneof(
        { weight: 8, arbitrary: fc.constantFrom(undefined, 'application/json', '*/*', 'application/json, application/problem+json') },
        { weight: 1, arbitrary: fc.constantFrom(...produced.filter((m) => m !== 'application/json'), 'text/csv', 'text/html') }
      )
    })
    const requestArb: fc.Arbitrary<Request> = base.chain((r) => {
      const mutations: Array<fc.Arbitrary<Request>> = []
      if (r.id !== undefined) mutations.push(pathMutants(r.id).map(([kind, id]) => ({ ...r, id, mutation: { kind, field: 'id', part: 'path' as const } })))
      if (queryParams.length > 0 || method === 'GET') mutations.push(queryMutation(r.query, queryParams.map((p) => p.name)).map((m) => ({ ...r, query: m.query, mutation: { kind: m.kind, field: m.field, part: 'query' as const } })))
      if (r.body !== undefined) mutations.push(bodyMutation(r.body as Json).map((m) => ({ ...r, body: m.body as Json, mutation: { kind: m.kind, field: m.field, part: 'body' as const } })))
      const clean = Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as unknown as Request
      return mutations.length === 0 ? fc.constant(clean) : fc.oneof({ weight: 2, arbitrary: fc.constant(clean) }, { weight: 3, arbitrary: fc.oneof(...mutations) })
    })

    const check = async (req: Request): Promise<void> => {
      const url = `/api/v1${path.replace('{id}', percent(req.id ?? '')).replace('{berichtId}', ids.berichten[0] as string).replace('{afleveringId}', ids.afleveringen[0] as string).replace('{importId}', ids.importen[0] as string)}${queryString(req.query)}`
      const key = secrets[req.role]
      const isWrite = method !== 'GET'
      const before = isWrite ? await tableContents() : ''
      const headers: Record<string, string> = {}
      if (req.accept !== undefined) headers.accept = req.accept
      const r = await call(key, { method: method as 'GET', url, headers, ...(req.body === undefined ? {} : { payload: JSON.stringify(req.body), headers: { ...headers, 'content-type': 'application/json' } }) })
      requests++
      const seen = statuses.get(`${method} ${path}`) ?? new Map<number, number>()
      seen.set(r.statusCode, (seen.get(r.statusCode) ?? 0) + 1)
      statuses.set(`${method} ${path}`, seen)
      const kind = req.mutation?.kind ?? 'valid'
      classes.set(kind, (classes.get(kind) ?? 0) + 1)
      const where = `${method} ${url.slice(0, 300)} as ${req.role}${req.mutation === undefined ? '' : ` (${req.mutation.kind} of ${req.mutation.part} ${req.mutation.field})`}: ${r.statusCode} ${r.body.slice(0, 400)}`
      const fail = (why: string): never => { throw new Error(`${why}\n  ${where}`) }
      if (r.statusCode >= 500) fail('a 5xx')
      // NL API Design Rules headers on every answer
      if (r.headers['api-version'] !== API_VERSION) fail('no API-Version')
      if (typeof r.headers['x-request-id'] !== 'string') fail('no X-Request-Id')
      if (r.headers['cache-control'] !== 'no-store') fail('no Cache-Control: no-store')
      if (r.headers['x-content-type-options'] !== 'nosniff') fail('no security headers')

      // Did the request as sent break the documented schema? Read it as the service does.
      const query = structuredClone(req.query) as Record<string, unknown>
      const broken = (hasId && !validId(req.id)) || !validQuery(query) || (validBody !== undefined && !validBody(structuredClone(req.body))) ||
        REFUSED_BEYOND_SCHEMA.has(kind)
      const allowed = req.role !== 'none' && (access as readonly string[]).includes(req.role === 'otherLeverancier' ? 'leverancier' : req.role)

      if (r.statusCode >= 400) {
        if (!String(r.headers['content-type']).startsWith('application/problem+json')) fail('an error that is not problem+json')
        if (r.data?.status !== r.statusCode) fail('problem status differs from the HTTP status')
        if (op.responses[String(r.statusCode)] === undefined) fail(`status ${r.statusCode} is not documented for this operation`)
        if (r.statusCode === 400 && !(Array.isArray(r.data.invalidParams) && r.data.invalidParams.length > 0)) fail('a 400 without invalidParams')
        if (isWrite && await tableContents() !== before) fail('a refused write changed what the tables hold')
      } else {
        if (broken) fail('a request that breaks the documented schema was accepted')
        if (op.responses[String(r.statusCode)] === undefined) fail(`status ${r.statusCode} is not documented for this operation`)
        const type = String(r.headers['content-type'] ?? '').split(';')[0] as string
        if (r.statusCode !== 204 && !produced.includes(type)) fail(`content type ${type} is not documented for this operation`)
        const validate = responseValidators.get(String(r.statusCode))
        if (validate !== undefined && String(r.headers['content-type']).startsWith('application/json') && !validate(r.data)) {
          fail(`the answer does not match its documented schema: ${JSON.stringify(validate.errors?.slice(0, 3))}`)
        }
      }
      // An Accept the operation cannot meet is answered first, before the key is looked at; an
      // operation that answers only 204 produces nothing and takes any Accept.
      const acceptable = req.accept === undefined || req.accept.includes('application/json') || req.accept === '*/*' ||
        produced.includes(req.accept) || produced.length === 0
      // A path that is not UTF-8 cannot even be routed: the router refuses it before anything else.
      const unroutable = req.mutation?.part === 'path' && req.mutation.kind === 'surrogate'
      if (unroutable) {
        if (r.statusCode !== 400 || !(r.data.invalidParams as Array<{ name: string }>).some((p) => p.name === 'path' || p.name === 'id')) fail('a path that is not UTF-8 must be a 400 naming it')
      } else if (!acceptable) {
        if (r.statusCode !== 406) fail('an Accept the operation cannot meet must be a 406')
      } else if (!allowed) {
        if (r.statusCode !== (req.role === 'none' ? 401 : 403)) fail(`a ${req.role} key may not do this: expected ${req.role === 'none' ? 401 : 403}`)
      } else if (broken) {
        if (r.statusCode !== 400) fail('a request that breaks the documented schema, with a key that may, must be a 400')
        const field = req.mutation?.field
        if (field !== undefined && req.mutation?.kind !== 'unknown-field' && req.mutation?.part !== 'path') {
          const names: string[] = r.data.invalidParams.map((p: { name: string }) => p.name)
          const related = (n: string): boolean => n === field || n.startsWith(`${field}.`) || n.startsWith(`${field}[`) || field.startsWith(`${n}.`) || field.startsWith(`${n}[`) || n === 'body' || field === 'body'
          if (!names.some(related)) fail(`the 400 does not name ${field}: ${names.join(', ')}`)
        }
      }
    }

    await t.test(`${method} ${path}`, async (t) => {
      try {
        await fc.assert(fc.asyncProperty(requestArb, check), { seed: SEED + index, numRuns: RUNS, endOnFailure: true })
        t.pass(`${RUNS} requests`)
      } catch (err) {
        const cause = (err as Error & { cause?: Error }).cause
        t.fail(`reproduce with FUZZ_SEED=${SEED} FUZZ_ONLY='${method} ${path}' (this operation's seed is ${SEED + index}): ${cause?.message ?? ''}\n${(err as Error).message}`)
      }
    })
  }

  await t.test('unknown methods on every documented path: 405 with Allow, before any key', async (t) => {
    const paths = Object.keys(doc.paths)
    await fc.assert(fc.asyncProperty(
      fc.constantFrom(...paths), fc.constantFrom('QUERY', 'PROPFIND', 'PUT', 'SEARCH', 'LOCK', 'MKCOL', 'COPY', 'PATCH', 'DELETE'), fc.constantFrom<Role>('beheerder', 'none'), fc.boolean(),
      async (path, method, role, withBody) => {
        if (doc.paths[path][method.toLowerCase()] !== undefined) return
        const url = `/api/v1${path.replace('{id}', contracten[0] as string)}`
        const r = await call(secrets[role], { method: method as 'GET', url, ...(withBody ? { payload: '{}', headers: { 'content-type': 'application/json' } } : {}) })
        requests++
        const documented = Object.keys(doc.paths[path]).map((m) => m.toUpperCase())
        if (r.statusCode !== 405) throw new Error(`${method} ${url}: ${r.statusCode} ${r.body}`)
        for (const m of documented) if (!String(r.headers.allow).includes(m)) throw new Error(`${method} ${url}: Allow ${String(r.headers.allow)} lacks ${m}`)
        if (r.headers['api-version'] !== API_VERSION || !String(r.headers['content-type']).startsWith('application/problem+json')) throw new Error(`${method} ${url}: headers ${JSON.stringify(r.headers)}`)
      }), { seed: SEED, numRuns: Math.max(20, RUNS * 2) })
    t.pass('405 everywhere')
  })

  const seconds = (Date.now() - started) / 1000
  t.comment(`fuzz: ${requests} requests in ${seconds.toFixed(1)} s on ${DB_KIND}, FUZZ_SEED=${SEED}; by class: ${[...classes].sort().map(([k, n]) => `${k} ${n}`).join(', ')}`)
  if (ONLY === undefined) t.ok(requests >= operations.length * RUNS, `${requests} requests`)
  if (ONLY === undefined && RUNS >= 40) {
    const never = operations.filter(({ method, path }) => ![...(statuses.get(`${method} ${path}`) ?? new Map<number, number>()).keys()].some((s) => s < 300))
    t.same(never.map(({ method, path }) => `${method} ${path}`), [], 'every operation answered a 2xx at least once: valid requests reach the database')
  }
  for (const [op, seen] of statuses) t.comment(`${op}: ${[...seen].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}×${n}`).join(' ')}`)
})
