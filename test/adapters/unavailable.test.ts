import t from 'tap'
import { DatabaseBusyError, databaseUnavailable } from '../../src/adapters/db/unavailable.js'

const withCode = (code: string, message = 'x'): Error => Object.assign(new Error(message), { code })

t.test('errors that mean the database is unavailable for now (issue 11)', async (t) => {
  const cases: Array<[string, unknown, 'down' | 'timeout' | 'busy']> = [
    ['connection refused (server stopped)', withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'), 'down'],
    ['refused on ::1 and 127.0.0.1 together', new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')]), 'down'],
    ['connection reset', withCode('ECONNRESET'), 'down'],
    ['admin shutdown 57P01', withCode('57P01', 'terminating connection due to administrator command'), 'down'],
    ['cannot connect now 57P03 (starting up)', withCode('57P03', 'the database system is starting up'), 'down'],
    ['connection failure 08006', withCode('08006'), 'down'],
    ['too many connections 53300', withCode('53300'), 'down'],
    ['pg: connection broke', new Error('Connection terminated unexpectedly'), 'down'],
    ['statement_timeout 57014', withCode('57014', 'canceling statement due to statement timeout'), 'timeout'],
    ['idle_in_transaction_session_timeout 25P03', withCode('25P03'), 'timeout'],
    ['pg query_timeout (server frozen)', new Error('Query read timeout'), 'timeout'],
    ['pg-pool acquire timeout', new Error('timeout exceeded when trying to connect'), 'timeout'],
    ['pg-pool connect timeout', new Error('Connection terminated due to connection timeout'), 'timeout'],
    ['wrapped in a cause', new Error('while reading', { cause: withCode('ECONNREFUSED') }), 'down'],
    ['the embedded queue is full', new DatabaseBusyError('busy'), 'busy']
  ]
  for (const [what, err, reason] of cases) {
    const u = databaseUnavailable(err)
    t.equal(u?.reason, reason, what)
    t.ok(u !== undefined && Number.isInteger(u.retryAfterS) && u.retryAfterS > 0, `${what}: a Retry-After in whole seconds`)
  }
})

t.test('errors that are not about availability stay what they are', async (t) => {
  const cases: Array<[string, unknown]> = [
    ['unique violation 23505', withCode('23505', 'duplicate key value violates unique constraint')],
    ['invalid text 22P02', withCode('22P02')],
    ['a programming error', new TypeError('Cannot read properties of undefined')],
    ['a plain error', new Error('boom')],
    ['not an error', 'Connection terminated'],
    ['a client that hung up while sending its body (HTTP side)', Object.assign(new Error('aborted'), { code: 'ECONNRESET', statusCode: 400 })],
    ['nothing', undefined]
  ]
  for (const [what, err] of cases) t.equal(databaseUnavailable(err), undefined, what)
})
