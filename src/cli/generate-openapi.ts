// `npm run openapi`: writes openapi/openapi.json from the app's routes (in-memory database);
// `--check` fails when the committed file differs, which CI runs.
import { readFile, writeFile } from 'node:fs/promises'
import { buildApp } from '../app.js'
import { migrationCount, prepareDatabase } from '../bootstrap.js'

/**
 * The committed document names the production shape's address (compose.yaml: Caddy with TLS on
 * https://localhost:8443), because the NL API Design Rules ask for https servers
 * (nlgov:servers-use-https, checked in CI). The running service answers its own document at
 * `/api/v1/openapi.json` with its PUBLIC_URL (http://localhost:8080/api/v1 under `npm start`), and
 * the Postman collection takes its `baseUrl` from a variable.
 */
const PUBLISHED_SERVER_URL = 'https://localhost:8443/api/v1'

const target = new URL('../../openapi/openapi.json', import.meta.url)
const { handle } = await prepareDatabase({ databaseUrl: 'memory://', dataDir: '', bootstrapKey: undefined })
const app = await buildApp({ config: { corsOrigins: [], publicUrl: PUBLISHED_SERVER_URL }, database: handle, migrationCount: migrationCount(), clock: Date.now })
await app.ready()
const text = `${JSON.stringify(app.swagger(), null, 2)}\n`
await app.close()
await handle.close()

if (process.argv.includes('--check')) {
  const committed = await readFile(target, 'utf8').catch(() => '')
  if (committed !== text) {
    process.stderr.write('openapi/openapi.json is stale: run `npm run openapi` and commit it\n')
    process.exit(1)
  }
  process.stdout.write('openapi/openapi.json is up to date\n')
} else {
  await writeFile(target, text)
  process.stdout.write('wrote openapi/openapi.json\n')
}
