import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { buildApp, type AppOptions } from '../../src/app.js'
import { migrationCount } from '../../src/bootstrap.js'
import { ensureBootstrapKey } from '../../src/adapters/db/sleutels-repository.js'
import type { DatabaseHandle } from '../../src/adapters/db/database.js'
import { freshDatabase } from './database.js'

export const BOOTSTRAP = 'test-bootstrap-key-0123456789abcdef'

/**
 * The test app's "now" unless a test says otherwise: a Tuesday at 10:00:00.500 Amsterdam time,
 * inside office hours and with milliseconds, the hour at which wave 1 answered 500 (issue 10).
 * A test that means the real time passes `clock: REAL_TIME` and says why.
 */
export const TEST_NOW = Date.parse('2026-12-01T10:00:00.500+01:00')
export const REAL_TIME = (): number => Date.now()

interface Tap { teardown: (fn: () => Promise<void> | void) => void }

export interface TestApp {
  app: FastifyInstance
  handle: DatabaseHandle
  /** inject with a key (or none), returning the response with its JSON body parsed. */
  call: (key: string | null, opts: InjectOptions) => Promise<LightMyRequestResponse & { data: any }>
}

/** The app on a fresh migrated database with a bootstrap beheerder key and a fixed clock (TEST_NOW), closed after the test. */
/** The key of the koppelingen's secrets in tests (null in build's options: none, as on PostgreSQL without SLA_GEHEIMEN_SLEUTEL). */
export const TEST_GEHEIMEN_SLEUTEL = Buffer.alloc(32, 0x5a)

export async function build (t: Tap, opts: { corsOrigins?: string[], handle?: DatabaseHandle, clock?: () => number, geheimenSleutel?: Buffer | null, koppelingen?: AppOptions['koppelingen'], jobsIntervalMs?: number, topdesk?: AppOptions['topdesk'] } = {}): Promise<TestApp> {
  const handle = opts.handle ?? (await freshDatabase(t)).handle
  await ensureBootstrapKey(handle.db, BOOTSTRAP)
  const app = await buildApp({ config: { corsOrigins: opts.corsOrigins ?? [], publicUrl: 'https://localhost/api/v1' }, database: handle, migrationCount: migrationCount(), clock: opts.clock ?? (() => TEST_NOW), geheimenSleutel: opts.geheimenSleutel === null ? undefined : (opts.geheimenSleutel ?? TEST_GEHEIMEN_SLEUTEL), ...(opts.koppelingen === undefined ? {} : { koppelingen: opts.koppelingen }), ...(opts.jobsIntervalMs === undefined ? {} : { jobsIntervalMs: opts.jobsIntervalMs }), ...(opts.topdesk === undefined ? {} : { topdesk: opts.topdesk }) })
  t.teardown(async () => { await app.close() })
  await app.ready()
  const call: TestApp['call'] = async (key, o) => {
    const headers = { ...(o.headers ?? {}), ...(key === null ? {} : { authorization: `Bearer ${key}` }) }
    const res = await app.inject({ ...o, headers })
    let data: unknown
    try { data = res.body === '' ? undefined : JSON.parse(res.body) } catch { data = undefined }
    return Object.assign(res, { data })
  }
  return { app, handle, call }
}

/** Makes a leverancier and a key of each role; returns their secrets and ids. */
export async function withKeys (call: TestApp['call']): Promise<{ leverancierId: string, otherLeverancierId: string, keys: Record<'beheerder' | 'lezer' | 'leverancier' | 'otherLeverancier' | 'monitor', string> }> {
  const lev = await call(BOOTSTRAP, { method: 'POST', url: '/api/v1/leveranciers', payload: { naam: 'Acme BV' } })
  const other = await call(BOOTSTRAP, { method: 'POST', url: '/api/v1/leveranciers', payload: { naam: 'Other BV' } })
  const mk = async (payload: object): Promise<string> => (await call(BOOTSTRAP, { method: 'POST', url: '/api/v1/sleutels', payload })).data.sleutel
  return {
    leverancierId: lev.data.id,
    otherLeverancierId: other.data.id,
    keys: {
      beheerder: BOOTSTRAP,
      lezer: await mk({ rol: 'lezer' }),
      leverancier: await mk({ rol: 'leverancier', leverancier: lev.data.id }),
      otherLeverancier: await mk({ rol: 'leverancier', leverancier: other.data.id }),
      monitor: await mk({ rol: 'monitor', diensten: ['6f1c1f0e-2c3b-4a51-9d1e-0b6a7e1c2d3f'] })
    }
  }
}

/** A contract of the standard SLA for a leverancier; returns its id. */
export async function standardContract (call: TestApp['call'], leverancierId: string, extra: object = {}): Promise<string> {
  const r = await call(BOOTSTRAP, { method: 'POST', url: '/api/v1/contracten', payload: { leverancier: leverancierId, naam: 'Zaaksysteem', ...extra } })
  if (r.statusCode !== 201) throw new Error(`contract: ${r.statusCode} ${r.body}`)
  return r.data.id
}
