// `npm run postman`: writes postman/sla-monitor.postman_collection.json with Portman from the
// OpenAPI document as the app generates it now (in memory, so not necessarily the committed
// openapi/openapi.json), with the contract tests and request data of postman/portman-config.json.
// `--check` fails when the committed collection differs, which CI runs (like openapi:check).
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { buildApp } from '../app.js'
import { migrationCount, prepareDatabase } from '../bootstrap.js'
import { DEFAULT_PUBLIC_URL } from '../config.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
const target = join(root, 'postman', 'sla-monitor.postman_collection.json')

const { handle } = await prepareDatabase({ databaseUrl: 'memory://', dataDir: '', bootstrapKey: undefined })
const app = await buildApp({ config: { corsOrigins: [], publicUrl: DEFAULT_PUBLIC_URL }, database: handle, migrationCount: migrationCount(), clock: Date.now })
await app.ready()
const doc = JSON.stringify(app.swagger(), null, 2)
await app.close()
await handle.close()

/** A deterministic Math.random (mulberry32, fixed seed) for the converter's generated examples. */
const SEEDED_RANDOM = `let a = 20261130
Math.random = () => {
  a |= 0; a = (a + 0x6D2B79F5) | 0
  let t = Math.imul(a ^ (a >>> 15), 1 | a)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
`

// Portman writes working files under its current directory: give it a throwaway one.
const work = mkdtempSync(join(tmpdir(), 'sla-portman-'))
try {
  writeFileSync(join(work, 'openapi.json'), doc)
  // The converter fills a body field with a `pattern` by a random string (json-schema-faker on
  // Math.random): a seeded Math.random makes the collection the same on every run, so CI's
  // freshness check compares like with like.
  writeFileSync(join(work, 'seed.mjs'), SEEDED_RANDOM)
  execFileSync(process.execPath, ['--import', pathToFileURL(join(work, 'seed.mjs')).href, realpathSync(join(root, 'node_modules', '.bin', 'portman')),
    '--local', join(work, 'openapi.json'), '--output', join(work, 'collection.json'),
    '--portmanConfigFile', join(root, 'postman', 'portman-config.json'),
    '--postmanConfigFile', join(root, 'postman', 'postman-config.json'),
    // the API's own formats (src/http/formats.ts): Postman's validator does not know them
    '--extraUnknownFormats', 'duration', 'interval'
  ], { cwd: work, stdio: ['ignore', 'ignore', 'inherit'] })
  const collection = JSON.parse(readFileSync(join(work, 'collection.json'), 'utf8')) as unknown
  const text = `${JSON.stringify(stableIds(fixedOptionalParams(collection, queryDefaults(JSON.parse(doc) as OpenApi)), ''), null, 2)}\n`
  if (process.argv.includes('--check')) {
    const committed = (() => { try { return readFileSync(target, 'utf8') } catch { return '' } })()
    if (committed !== text) {
      process.stderr.write('postman/sla-monitor.postman_collection.json is stale: run `npm run postman` and commit it\n')
      process.exit(1)
    }
    process.stdout.write('postman/sla-monitor.postman_collection.json is up to date\n')
  } else {
    writeFileSync(target, text)
    process.stdout.write('wrote postman/sla-monitor.postman_collection.json\n')
  }
} finally {
  rmSync(work, { recursive: true, force: true })
}

interface OpenApi { paths: Record<string, Record<string, { parameters?: Array<{ in: string, name: string, schema?: { enum?: unknown[], example?: unknown, examples?: unknown[] } }> }>> }

/**
 * The converter fills optional (disabled) query parameters with random values of their enum or
 * pattern: give them one fixed value instead, the schema's first enum value or example, the same
 * for every operation with that parameter, or a `<string>` placeholder when they differ.
 */
function queryDefaults (doc: OpenApi): Map<string, string> {
  const seen = new Map<string, string>()
  for (const item of Object.values(doc.paths)) {
    for (const op of Object.values(item)) {
      for (const p of op.parameters ?? []) {
        if (p.in !== 'query') continue
        const v = p.schema?.enum?.[0] ?? p.schema?.examples?.[0] ?? p.schema?.example
        const text = v === undefined ? '<string>' : String(v)
        seen.set(p.name, seen.has(p.name) && seen.get(p.name) !== text ? '<string>' : text)
      }
    }
  }
  return seen
}

function fixedOptionalParams (value: unknown, defaults: Map<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => fixedOptionalParams(v, defaults))
  if (value === null || typeof value !== 'object') return value
  const o = value as Record<string, unknown>
  if (o.disabled === true && typeof o.key === 'string' && typeof o.value === 'string' && !/^<.*>$/.test(o.value)) {
    return { ...o, value: defaults.get(o.key) ?? '<string>' }
  }
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, fixedOptionalParams(v, defaults)]))
}

/** Portman gives every item and script a random UUID: derive them from their place instead, so the file only changes when its content does. */
function stableIds (value: unknown, path: string): unknown {
  if (Array.isArray(value)) return value.map((v, i) => stableIds(v, `${path}/${i}`))
  if (value === null || typeof value !== 'object') return value
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) {
    if ((k === 'id' || k === '_postman_id' || k === 'postman_id') && typeof v === 'string' && /^[0-9a-f-]{36}$/.test(v)) {
      const h = createHash('sha1').update(`${path}/${k}`).digest('hex')
      out[k] = `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`
    } else {
      out[k] = stableIds(v, `${path}/${k}`)
    }
  }
  return out
}
