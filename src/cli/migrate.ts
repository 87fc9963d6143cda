// `npm run db:migrate`: runs pending migrations on the configured database, and exits non-zero
// with the failing migration's name when one fails.
import { ConfigError, loadConfig } from '../config.js'
import { prepareDatabase } from '../bootstrap.js'

try {
  const config = loadConfig(process.env)
  const { handle, migrated } = await prepareDatabase({ ...config, bootstrapKey: undefined })
  await handle.close()
  process.stdout.write(migrated.length === 0 ? 'migrations: up to date\n' : `migrations applied: ${migrated.join(', ')}\n`)
} catch (err) {
  process.stderr.write(`migrate: ${err instanceof ConfigError || err instanceof Error ? err.message : String(err)}\n`)
  process.exit(1)
}
