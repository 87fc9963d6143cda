import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Kysely } from 'kysely'
import type { DatabaseHandle } from '../../adapters/db/database.js'
import type { Database } from '../../adapters/db/schema.js'

declare module 'fastify' {
  interface FastifyInstance {
    db: Kysely<Database>
    dbKind: DatabaseHandle['kind']
    /** The time, as epoch ms: Date.now in service, a fixed clock in tests. The core never reads it. */
    clock: () => number
  }
}

/**
 * Makes an opened and migrated database available as `app.db`. The app does not own it:
 * whoever opened it closes it (server.ts on shutdown, tests in teardown).
 */
export default fp(async function database (app: FastifyInstance, opts: { handle: DatabaseHandle, clock: () => number }) {
  app.decorate('db', opts.handle.db)
  app.decorate('clock', opts.clock)
  app.decorate('dbKind', opts.handle.kind)
}, { name: 'database' })
