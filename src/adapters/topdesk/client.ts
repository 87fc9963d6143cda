/**
 * A small client of the TOPdesk REST API (issue 13; INTEGRATIONS.md §1): read-only, Basic auth
 * with an operator's login and application password. Answers 429 (honouring `Retry-After`) and
 * 5xx, and network failures and timeouts, are retried with backoff; what still fails is thrown as
 * a TopdeskError (never anything else), for the caller to record as the koppeling's status.
 */

export interface TopdeskToegang {
  /** The tenant's API base, e.g. https://gemeente.topdesk.net/tas/api */
  readonly url: string
  readonly gebruiker: string
  readonly wachtwoord: string
}

export interface TopdeskOpties {
  /** Per request (default 30 s). */
  readonly timeoutMs?: number
  /** Attempts per request, the first included (default 5). */
  readonly pogingen?: number
  /** The first backoff (default 500 ms), doubled per attempt, capped at `maxWachtMs`. */
  readonly wachtMs?: number
  readonly maxWachtMs?: number
  /** Aborts everything (the app closes, an import is cancelled). */
  readonly signal?: AbortSignal
}

export class TopdeskError extends Error {
  override readonly name = 'TopdeskError'
  constructor (message: string, readonly status: number | null) { super(message) }
  /** Aborted by the caller (the app closes): no failure of TOPdesk. */
  get afgebroken (): boolean { return this.message === 'aborted' }
}

export type Obj = Record<string, unknown>

/** The incident fields the translation reads (vertaalTopdesk), asked for with `fields=`. */
export const INCIDENT_FIELDS = [
  'id', 'number', 'briefDescription', 'callDate', 'modificationDate', 'creationDate', 'priority', 'callType', 'category', 'subcategory',
  'responded', 'responseDate', 'onHold', 'onHoldDate', 'completed', 'completedDate', 'closed', 'closedDate', 'targetDate', 'sla',
  'supplier', 'operatorGroup', 'optionalFields1', 'optionalFields2', 'status', 'processingStatus', 'externalNumber'
] as const

const sleep = async (ms: number, signal?: AbortSignal): Promise<void> => await new Promise((resolve, reject) => {
  if (signal?.aborted === true) { reject(new TopdeskError('aborted', null)); return }
  const t = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve() }, ms)
  const onAbort = (): void => { clearTimeout(t); reject(new TopdeskError('aborted', null)) }
  signal?.addEventListener('abort', onAbort, { once: true })
})

/** A TOPdesk time for a FIQL query: ISO 8601 in UTC with milliseconds. */
export const fiqlTime = (ms: number): string => new Date(ms).toISOString()

/** One page of a list: its entries and whether TOPdesk says more follow (206, or a Content-Range short of the total). */
export interface Pagina { items: Obj[], meer: boolean, totaal: number | null }

export class TopdeskClient {
  private readonly base: string
  private readonly auth: string
  constructor (toegang: TopdeskToegang, private readonly opts: TopdeskOpties = {}) {
    this.base = toegang.url.replace(/\/+$/, '')
    this.auth = `Basic ${Buffer.from(`${toegang.gebruiker}:${toegang.wachtwoord}`, 'utf8').toString('base64')}`
  }

  private afgebroken (): boolean { return this.opts.signal?.aborted === true }

  /** GET with retries; 204 and 404 are answered as undefined (TOPdesk's "nothing"). */
  private async get (path: string): Promise<{ status: number, headers: Headers, body: unknown } | undefined> {
    const pogingen = this.opts.pogingen ?? 5
    let wacht = this.opts.wachtMs ?? 500
    const max = this.opts.maxWachtMs ?? 30_000
    let last: TopdeskError = new TopdeskError('no attempt', null)
    for (let poging = 1; poging <= pogingen; poging++) {
      if (this.afgebroken()) throw new TopdeskError('aborted', null)
      const signals = [AbortSignal.timeout(this.opts.timeoutMs ?? 30_000), ...(this.opts.signal === undefined ? [] : [this.opts.signal])]
      let res: Response
      try {
        res = await fetch(`${this.base}${path}`, { headers: { authorization: this.auth, accept: 'application/json' }, signal: AbortSignal.any(signals), redirect: 'error' })
      } catch (err) {
        if (this.afgebroken()) throw new TopdeskError('aborted', null)
        last = new TopdeskError(`TOPdesk did not answer ${path.split('?')[0] ?? ''}: ${err instanceof Error ? (err.name === 'TimeoutError' ? 'timeout' : err.message) : String(err)}`, null)
        if (poging < pogingen) await sleep(wacht, this.opts.signal)
        wacht = Math.min(max, wacht * 2)
        continue
      }
      if (res.status === 429 || res.status >= 500) {
        await res.body?.cancel().catch(() => {})
        last = new TopdeskError(`TOPdesk answered ${res.status} to ${path.split('?')[0] ?? ''}`, res.status)
        const ra = Number(res.headers.get('retry-after'))
        const pauze = res.status === 429 && Number.isFinite(ra) && ra >= 0 ? Math.min(max, ra * 1000) : wacht
        if (poging < pogingen) await sleep(pauze, this.opts.signal)
        wacht = Math.min(max, wacht * 2)
        continue
      }
      if (res.status === 204 || res.status === 404) { await res.body?.cancel().catch(() => {}); return undefined }
      if (res.status === 401 || res.status === 403) {
        await res.body?.cancel().catch(() => {})
        throw new TopdeskError(`TOPdesk refused the login (${res.status}): check the operator account and its application password, and its read rights`, res.status)
      }
      if (res.status !== 200 && res.status !== 206) {
        await res.body?.cancel().catch(() => {})
        throw new TopdeskError(`TOPdesk answered ${res.status} to ${path.split('?')[0] ?? ''}`, res.status)
      }
      let body: unknown
      try { body = await res.json() } catch { throw new TopdeskError(`TOPdesk answered ${path.split('?')[0] ?? ''} with no JSON`, res.status) }
      return { status: res.status, headers: res.headers, body }
    }
    throw last
  }

  /**
   * One page of incidents modified after `na`, oldest first, that match `filter` (FIQL, joined
   * with `;`, i.e. and).
   */
  async incidenten (na: number, filter: string | null, pageStart: number, pageSize: number): Promise<Pagina> {
    const query = [`modificationDate=gt=${fiqlTime(na)}`, ...(filter === null || filter.trim() === '' ? [] : [`(${filter})`])].join(';')
    const qs = new URLSearchParams({ query, sort: 'modificationDate:asc', pageStart: String(pageStart), pageSize: String(pageSize), fields: INCIDENT_FIELDS.join(',') })
    const r = await this.get(`/incidents?${qs.toString()}`)
    if (r === undefined) return { items: [], meer: false, totaal: 0 }
    if (!Array.isArray(r.body)) throw new TopdeskError('TOPdesk answered the incident list with no JSON array', r.status)
    const items = r.body.filter((x): x is Obj => x !== null && typeof x === 'object' && !Array.isArray(x))
    // Content-Range: items 0-99/1234 (the total may be *).
    const m = /(\d+)-(\d+)\/(\d+|\*)/.exec(r.headers.get('content-range') ?? '')
    const meer = r.status === 206 && (m === null || m[3] === '*' || Number(m[2]) + 1 < Number(m[3]))
    const totaal = m !== null && m[3] !== '*' ? Number(m[3]) - pageStart : r.status === 200 ? items.length : null
    return { items, meer: meer || (r.status === 206 && items.length === pageSize && m === null), totaal }
  }

  async incident (id: string): Promise<Obj | undefined> {
    const r = await this.get(`/incidents/id/${encodeURIComponent(id)}`)
    return r === undefined || r.body === null || typeof r.body !== 'object' || Array.isArray(r.body) ? undefined : r.body as Obj
  }

  async incidentOpNummer (nummer: string): Promise<Obj | undefined> {
    const r = await this.get(`/incidents/number/${encodeURIComponent(nummer)}`)
    return r === undefined || r.body === null || typeof r.body !== 'object' || Array.isArray(r.body) ? undefined : r.body as Obj
  }

  /** The whole progress trail, paged (pageStart/pageSize) until it ends. */
  async voortgang (id: string, pageSize = 100): Promise<Obj[]> {
    const out: Obj[] = []
    for (let start = 0; ; start += pageSize) {
      const r = await this.get(`/incidents/id/${encodeURIComponent(id)}/progresstrail?pageStart=${start}&pageSize=${pageSize}`)
      if (r === undefined) return out
      if (!Array.isArray(r.body)) throw new TopdeskError('TOPdesk answered the progress trail with no JSON array', r.status)
      const items = r.body.filter((x): x is Obj => x !== null && typeof x === 'object' && !Array.isArray(x))
      out.push(...items)
      if (r.status !== 206 || items.length < pageSize) return out
    }
  }
}
