import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A fake TOPdesk REST API for tests and the benchmark (issue 13): a real HTTP server on a random
 * port, serving what the service reads with the documented shapes:
 * - GET /tas/api/incidents?query=…&sort=modificationDate:asc&pageStart=&pageSize=&fields=…:
 *   FIQL `modificationDate=gt=|ge=|lt=|le=|==<time>` and `field.path==value` terms joined with `;`
 *   (and; a term in parentheses too), answered 200 when all fit, else 206 with
 *   `Content-Range: items <first>-<last>/<total>`; 204 when none match;
 * - GET /tas/api/incidents/id/{id} and /incidents/number/{number}: 404 when unknown;
 * - GET /tas/api/incidents/id/{id}/progresstrail?pageStart=&pageSize=: newest first, as TOPdesk;
 * - 401 with a wrong login; `failNext`: the next n requests get 429 (with Retry-After) or 500;
 *   `onPage`: a hook between pages (to change incidents while they are being paged).
 */

export type Obj = Record<string, any>

export interface FakeTopdesk {
  readonly url: string
  readonly gebruiker: string
  readonly wachtwoord: string
  incidents: Map<string, Obj>
  trails: Map<string, Obj[]>
  /** Requests served, by path (without query). */
  requests: string[]
  /** The next `n` requests answer `status` (429 with Retry-After: `retryAfter` seconds). */
  failNext: (n: number, status: number, retryAfter?: number) => void
  /** Every request to /incidents (list) after the first `after` answers 500 until reset (`Infinity`: never). */
  failListAfter: (after: number) => void
  /** Called before a list page is answered (its pageStart): may change incidents. */
  onPage?: ((pageStart: number) => void) | undefined
  /** Adds or replaces an incident (and its trail), with the given modificationDate. */
  put: (inc: Obj, trail?: Obj[]) => void
  close: () => Promise<void>
}

const TD = (ms: number): string => new Date(ms).toISOString().replace('Z', '+0000')
export { TD as topdeskTime }

const parseTime = (s: string): number => Date.parse(s.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'))

const pathOf = (o: Obj, path: string): unknown => path.split('.').reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Obj)[k] : undefined), o)

/** A term of FIQL as the fake understands it; unknown syntax is a 400 as TOPdesk gives. */
function matcher (query: string): ((o: Obj) => boolean) | undefined {
  const terms = query.split(';').map((t) => t.trim().replace(/^\((.*)\)$/, '$1')).filter((t) => t !== '')
  const tests: Array<(o: Obj) => boolean> = []
  for (const term of terms) {
    if (term.includes(';')) return undefined
    const m = /^([A-Za-z0-9_.]+)(=gt=|=ge=|=lt=|=le=|==|!=)(.*)$/.exec(term)
    if (m === null) return undefined
    const [, field, op, value] = m as unknown as [string, string, string, string]
    if (field === 'modificationDate') {
      const at = parseTime(value)
      if (Number.isNaN(at)) return undefined
      tests.push((o) => {
        const t = parseTime(String(o.modificationDate))
        return op === '=gt=' ? t > at : op === '=ge=' ? t >= at : op === '=lt=' ? t < at : op === '=le=' ? t <= at : op === '==' ? t === at : t !== at
      })
    } else {
      if (op !== '==' && op !== '!=') return undefined
      tests.push((o) => { const v = pathOf(o, field); return (String(v) === value) === (op === '==') })
    }
  }
  return (o) => tests.every((f) => f(o))
}

export async function fakeTopdesk (opts: { gebruiker?: string, wachtwoord?: string } = {}): Promise<FakeTopdesk> {
  const gebruiker = opts.gebruiker ?? 'sla-monitor'
  const wachtwoord = opts.wachtwoord ?? 'appw-0123456789abcdef'
  const incidents = new Map<string, Obj>()
  const trails = new Map<string, Obj[]>()
  const requests: string[] = []
  let fail: { n: number, status: number, retryAfter: number } = { n: 0, status: 500, retryAfter: 0 }
  let listFailAfter = Infinity
  let lists = 0
  const expected = `Basic ${Buffer.from(`${gebruiker}:${wachtwoord}`).toString('base64')}`

  const send = (res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void => {
    const text = body === undefined ? '' : JSON.stringify(body)
    res.writeHead(status, { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers })
    res.end(text)
  }
  let sorted: Obj[] | undefined
  const ordered = (): Obj[] => {
    sorted ??= [...incidents.values()].sort((a, b) => parseTime(a.modificationDate) - parseTime(b.modificationDate) || (a.id < b.id ? -1 : 1))
    return sorted
  }

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const u = new URL(req.url ?? '/', 'http://x')
    requests.push(u.pathname)
    if (req.headers.authorization !== expected) { send(res, 401, { message: 'Unauthorized' }); return }
    if (fail.n > 0) {
      fail.n--
      send(res, fail.status, { message: 'busy' }, fail.status === 429 ? { 'retry-after': String(fail.retryAfter) } : {})
      return
    }
    const p = u.pathname.replace(/^\/tas\/api/, '')
    const num = (name: string, d: number): number => { const v = u.searchParams.get(name); return v === null ? d : Number(v) }
    if (p === '/incidents') {
      lists++
      if (lists > listFailAfter) { send(res, 500, { message: 'internal error' }); return }
      const pageStart = num('pageStart', 0)
      const pageSize = num('pageSize', 10)
      if (!Number.isInteger(pageStart) || pageStart < 0 || !Number.isInteger(pageSize) || pageSize < 1 || pageSize > 10000) { send(res, 400, [{ message: 'bad paging' }]); return }
      if (u.searchParams.get('sort') !== null && u.searchParams.get('sort') !== 'modificationDate:asc') { send(res, 400, [{ message: 'unsupported sort' }]); return }
      fakeHook?.(pageStart)
      const match = matcher(u.searchParams.get('query') ?? '')
      if (match === undefined) { send(res, 400, [{ message: 'bad query' }]); return }
      const all = ordered().filter(match)
      const page = all.slice(pageStart, pageStart + pageSize)
      if (page.length === 0) { send(res, 204); return }
      const fields = u.searchParams.get('fields')?.split(',')
      const out = fields === undefined ? page : page.map((i) => Object.fromEntries(fields.filter((f) => f in i).map((f) => [f, i[f]])))
      const last = pageStart + page.length - 1
      if (pageStart === 0 && page.length === all.length) send(res, 200, out)
      else send(res, 206, out, { 'content-range': `items ${pageStart}-${last}/${all.length}` })
      return
    }
    let m = /^\/incidents\/id\/([^/]+)$/.exec(p)
    if (m !== null) {
      const inc = incidents.get(decodeURIComponent(m[1] as string))
      if (inc === undefined) send(res, 404, [{ message: 'not found' }]); else send(res, 200, inc)
      return
    }
    m = /^\/incidents\/number\/([^/]+)$/.exec(p)
    if (m !== null) {
      const n = decodeURIComponent(m[1] as string)
      const inc = [...incidents.values()].find((i) => i.number === n)
      if (inc === undefined) send(res, 404, [{ message: 'not found' }]); else send(res, 200, inc)
      return
    }
    m = /^\/incidents\/id\/([^/]+)\/progresstrail$/.exec(p)
    if (m !== null) {
      const id = decodeURIComponent(m[1] as string)
      if (!incidents.has(id)) { send(res, 404, [{ message: 'not found' }]); return }
      const trail = [...(trails.get(id) ?? [])].sort((a, b) => parseTime(b.entryDate) - parseTime(a.entryDate))
      const pageStart = num('pageStart', 0)
      const pageSize = num('pageSize', 10)
      const page = trail.slice(pageStart, pageStart + pageSize)
      if (page.length === 0) { send(res, pageStart === 0 ? 200 : 204, pageStart === 0 ? [] : undefined); return }
      if (pageStart === 0 && page.length === trail.length) send(res, 200, page)
      else send(res, 206, page, { 'content-range': `items ${pageStart}-${pageStart + page.length - 1}/${trail.length}` })
      return
    }
    send(res, 404, [{ message: 'no such endpoint' }])
  }
  let fakeHook: ((pageStart: number) => void) | undefined
  const server = createServer(handle)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  const fake: FakeTopdesk = {
    url: `http://127.0.0.1:${port}/tas/api`,
    gebruiker,
    wachtwoord,
    incidents,
    trails,
    requests,
    failNext: (n, status, retryAfter = 0) => { fail = { n, status, retryAfter } },
    failListAfter: (after) => { listFailAfter = after; lists = 0 },
    get onPage () { return fakeHook },
    set onPage (f) { fakeHook = f },
    put: (inc, trail) => {
      incidents.set(inc.id, inc)
      if (trail !== undefined) trails.set(inc.id, trail)
      sorted = undefined
    },
    close: async () => { server.closeAllConnections(); await new Promise<void>((resolve) => server.close(() => { resolve() })) }
  }
  return fake
}
