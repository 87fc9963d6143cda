/**
 * Which errors mean "the database is unavailable for now" (down, frozen, restarting, overloaded)
 * rather than "this request is wrong" or "the code is wrong". The HTTP layer answers these with
 * 503 and `Retry-After` instead of 500 (issue 11): the client should try again, and every write
 * is idempotent by kenmerk, so trying again is safe.
 */

/** The embedded database's one connection has too many waiting, or one waited too long. */
export class DatabaseBusyError extends Error {
  override readonly name = 'DatabaseBusyError'
}

export interface Unavailable {
  /** down: cannot connect or the connection broke; timeout: no answer in time; busy: our own queue is full. */
  readonly reason: 'down' | 'timeout' | 'busy'
  /** Seconds after which a retry may succeed. */
  readonly retryAfterS: number
}

// Node's socket errors when the server is gone or unreachable.
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED'])

// SQLSTATEs: class 08 (connection exception); 57P01–57P03 (admin/crash shutdown, cannot connect
// now: starting or stopping); 53300 too many connections; 57014 statement_timeout (query
// cancelled: our statements are only ever cancelled by it); 25P03 idle-in-transaction timeout;
// 55P03 lock_timeout.
const TIMEOUT_STATES = new Set(['57014', '25P03', '55P03'])
const DOWN_STATES = new Set(['57P01', '57P02', '57P03', '53300'])

// node-postgres and pg-pool say it in words only.
const DOWN_MESSAGES = [
  'Connection terminated unexpectedly',
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable'
]
const TIMEOUT_MESSAGES = [
  'Query read timeout', // pg query_timeout: the server did not answer (frozen)
  'timeout exceeded when trying to connect', // pg-pool: no free connection in time
  'Connection terminated due to connection timeout' // pg-pool: connecting took too long
]

const RETRY_DOWN_S = 5
const RETRY_TIMEOUT_S = 5
const RETRY_BUSY_S = 2

/** The "database unavailable" reading of an error (or of an error in its `cause` chain), if any. */
export function databaseUnavailable (err: unknown): Unavailable | undefined {
  // An HTTP-layer error (Fastify gives those a statusCode), e.g. a client that hung up while
  // sending its body (ECONNRESET): not the database's.
  if (err !== null && typeof err === 'object' && typeof (err as { statusCode?: unknown }).statusCode === 'number') return undefined
  for (let e: unknown = err, depth = 0; e !== null && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof DatabaseBusyError) return { reason: 'busy', retryAfterS: RETRY_BUSY_S }
    const { code, message } = e as { code?: unknown, message?: unknown }
    if (typeof code === 'string') {
      if (TIMEOUT_STATES.has(code)) return { reason: 'timeout', retryAfterS: RETRY_TIMEOUT_S }
      if (DOWN_STATES.has(code) || /^08[0-9A-Z]{3}$/.test(code) || SOCKET_CODES.has(code)) return { reason: 'down', retryAfterS: RETRY_DOWN_S }
    }
    if (typeof message === 'string') {
      if (TIMEOUT_MESSAGES.some((m) => message.startsWith(m))) return { reason: 'timeout', retryAfterS: RETRY_TIMEOUT_S }
      if (DOWN_MESSAGES.some((m) => message.startsWith(m))) return { reason: 'down', retryAfterS: RETRY_DOWN_S }
    }
    if (e instanceof AggregateError) {
      // Connecting to `localhost` tries ::1 and 127.0.0.1: both refusals arrive together.
      for (const inner of e.errors) { const u = databaseUnavailable(inner); if (u !== undefined) return u }
    }
  }
  return undefined
}
