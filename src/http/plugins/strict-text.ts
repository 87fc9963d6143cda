import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { problem, type InvalidParam } from '../problem.js'
import { sendProblem } from './problem-handling.js'

/**
 * Text the service accepts, checked once for every route (issue 10 and 11): what JSON can carry
 * but PostgreSQL cannot store as sent is refused with a 400 naming the field, never a 500 and
 * never a silent change (which broke idempotency: a lone surrogate stored as U+FFFD made the
 * same request answer 409 the second time).
 * - A JSON body must be UTF-8 (RFC 8259 §8.1), strictly: bytes that are not are refused, not
 *   replaced by U+FFFD. A leading byte order mark is allowed and dropped.
 * - No string of the body, the query or the path may hold U+0000 (PostgreSQL text cannot) or an
 *   unpaired surrogate (`"\ud800"` in JSON: no character at all, so it cannot be stored as UTF-8).
 *   Object keys are checked like values.
 * - Query parameters must be percent-encoded UTF-8: the query parser would pass `%FF` through
 *   as those three characters, so the raw query is checked as well. An invalid path is refused
 *   by the router before any route runs: see `frameworkErrors` below.
 * Everything else, astral characters (emoji, 𝄞) and combining marks included, is kept exactly.
 */

const STRICT = new TextDecoder('utf-8', { fatal: true })
const LENIENT = new TextDecoder('utf-8')
/** Only for answering which field held bytes that are not UTF-8: where the lenient decoder put U+FFFD. */
const REPLACED = '\uFFFD'
/** At most this many fields are named in one answer; one is enough to act on. */
const MAX_REPORTED = 20

const SUSPECT = /[\u0000\ud800-\udfff]/
/**
 * In strictly decoded UTF-8 JSON a NUL or a surrogate can only come from an escape (a raw NUL is
 * not valid JSON; raw surrogates are not UTF-8): a body without one needs no walk.
 */
const SUSPECT_ESCAPE = /\\u(?:0000|[dD][89a-fA-F])/
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

/** Why a text cannot be stored as sent, or undefined when it can. */
export function textProblem (s: string): string | undefined {
  if (!SUSPECT.test(s)) return undefined
  if (s.includes('\u0000')) return 'contains a NUL character (U+0000), which cannot be stored'
  if (LONE_SURROGATE.test(s)) return 'contains an unpaired UTF-16 surrogate (not a character), which cannot be stored'
  return undefined
}

interface Step { readonly parent: Step | undefined, readonly key: string | number }

/** Names longer than this (a deeply nested body) keep their end: `…[0][0].toelichting`. */
const MAX_NAME = 200

/** `a.b[2].c` as the validation errors name fields; the root is `root`. */
function nameOf (step: Step | undefined, root: string): string {
  const keys: Array<string | number> = []
  for (let s = step; s !== undefined; s = s.parent) keys.push(s.key)
  let out = ''
  for (const k of keys.reverse()) out += typeof k === 'number' ? `[${k}]` : (out === '' ? k : `.${k}`)
  if (out.length > MAX_NAME) return `…${out.slice(-MAX_NAME)}`
  return out === '' ? root : out
}

/**
 * Every string (value or key) in a parsed JSON value or a query/params object for which `check`
 * has a reason, named by its path. Iterative, so a deeply nested body cannot exhaust the stack;
 * a path is only spelled out for a string that is reported.
 */
export function findBadText (value: unknown, root: string, check: (s: string) => string | undefined = textProblem): InvalidParam[] {
  const out: InvalidParam[] = []
  const stack: Array<{ value: unknown, at: Step | undefined }> = [{ value, at: undefined }]
  while (stack.length > 0 && out.length < MAX_REPORTED) {
    const { value: v, at } = stack.pop() as { value: unknown, at: Step | undefined }
    if (typeof v === 'string') {
      const reason = check(v)
      if (reason !== undefined) out.push({ name: nameOf(at, root), reason })
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], at: { parent: at, key: i } })
    } else if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v)
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, x] = entries[i] as [string, unknown]
        const keyReason = check(k)
        if (keyReason !== undefined) out.push({ name: nameOf({ parent: at, key: k }, root), reason: `its name ${keyReason}` })
        else stack.push({ value: x, at: { parent: at, key: k } })
      }
    }
  }
  return out
}

const refuse = (params: readonly InvalidParam[]): FastifyError =>
  problem(400, `${params.length} invalid ${params.length === 1 ? 'field' : 'fields'}: ${params.map((p) => p.name).join(', ')}`, params) as unknown as FastifyError

const NOT_UTF8 = 'is not valid UTF-8'

/** Query parameters whose name or value is not percent-encoded UTF-8 (`%FF`, `%ED%A0%80`, `%zz`). */
function badQueryEncoding (url: string): InvalidParam[] {
  const q = url.indexOf('?')
  if (q < 0) return []
  const out: InvalidParam[] = []
  for (const pair of url.slice(q + 1).split('&')) {
    if (pair === '') continue
    const eq = pair.indexOf('=')
    const rawName = (eq < 0 ? pair : pair.slice(0, eq)).replace(/\+/g, ' ')
    const rawValue = eq < 0 ? '' : pair.slice(eq + 1).replace(/\+/g, ' ')
    let name: string
    try { name = decodeURIComponent(rawName) } catch { out.push({ name: rawName, reason: `its name ${NOT_UTF8} (percent-encoded)` }); continue }
    try { decodeURIComponent(rawValue) } catch { out.push({ name, reason: `${NOT_UTF8} (percent-encoded)` }) }
    if (out.length >= MAX_REPORTED) break
  }
  return out
}

/**
 * For the Fastify option `frameworkErrors`: a path that is not percent-encoded UTF-8 (`/meldingen/%FF`)
 * fails in the router, before any route or hook; without this it would be a plain JSON 400.
 */
export function frameworkErrors (err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  if (err.code === 'FST_ERR_BAD_URL') {
    void sendProblem(request, reply, problem(400, 'the path is not valid percent-encoded UTF-8', [{ name: 'path', reason: `${NOT_UTF8} (percent-encoded)` }]))
    return
  }
  void sendProblem(request, reply, problem(err.statusCode ?? 400, err.message))
}

export default fp(async function strictText (app: FastifyInstance) {
  const parseJson = app.getDefaultJsonParser('error', 'error')

  // Only JSON bodies: without this, Fastify also takes text/plain, which would then fail as 400.
  // Read as bytes (the body limit, 413, applies as before), decoded strictly, then parsed by
  // Fastify's own parser (prototype poisoning refused), then one walk over the strings.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const raw = body as Buffer
    let text: string
    let wellFormed = true
    try {
      text = STRICT.decode(raw)
    } catch {
      text = LENIENT.decode(raw)
      wellFormed = false
    }
    parseJson(request, text, (err, parsed) => {
      if (err !== null) {
        if (!wellFormed) { done(refuse([{ name: 'body', reason: NOT_UTF8 }]), undefined); return }
        done(err, undefined)
        return
      }
      if (!wellFormed) {
        // The fields where the decoder had to replace bytes. A field that holds a real U+FFFD
        // in the same (refused) body is named as well: the two cannot be told apart afterwards.
        const where = findBadText(parsed, 'body', (s) => (s.includes(REPLACED) ? NOT_UTF8 : undefined))
        done(refuse(where.length > 0 ? where : [{ name: 'body', reason: NOT_UTF8 }]), undefined)
        return
      }
      const bad = SUSPECT_ESCAPE.test(text) ? findBadText(parsed, 'body') : []
      if (bad.length > 0) { done(refuse(bad), undefined); return }
      done(null, parsed)
    })
  })

  // Query and path parameters, for every route; after authentication, before validation (so the
  // reason is this one, not a format the text happens to fail as well).
  app.addHook('preValidation', async (request) => {
    const bad = [
      ...badQueryEncoding(request.url),
      ...findBadText(request.params ?? {}, 'path'),
      ...findBadText(request.query ?? {}, 'query')
    ]
    if (bad.length > 0) throw refuse(bad)
  })
}, { name: 'strict-text' })
