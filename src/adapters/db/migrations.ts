import { readdir, readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely'

/** The folder of the SQL migrations, next to `src/` (and `dist/`). */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations', import.meta.url))

/**
 * Splits a SQL script into statements at top-level semicolons, respecting quotes, dollar-quoted
 * bodies and comments. Needed because PGlite runs one statement per query with parameters.
 */
export function splitSqlStatements (script: string): string[] {
  const out: string[] = []
  let start = 0
  let i = 0
  const n = script.length
  while (i < n) {
    const c = script[i]
    if (c === '-' && script[i + 1] === '-') {
      const eol = script.indexOf('\n', i)
      i = eol === -1 ? n : eol + 1
    } else if (c === '/' && script[i + 1] === '*') {
      const end = script.indexOf('*/', i + 2)
      i = end === -1 ? n : end + 2
    } else if (c === '\'' || c === '"') {
      let j = i + 1
      while (j < n && !(script[j] === c && script[j + 1] !== c)) j += script[j] === c ? 2 : 1
      i = j + 1
    } else if (c === '$') {
      const tag = /^\$[A-Za-z_]*\$/.exec(script.slice(i))
      if (tag === null) { i++; continue }
      const end = script.indexOf(tag[0], i + tag[0].length)
      i = end === -1 ? n : end + tag[0].length
    } else if (c === ';') {
      out.push(script.slice(start, i))
      start = ++i
    } else {
      i++
    }
  }
  out.push(script.slice(start))
  return out.map((s) => s.trim()).filter((s) => s.replace(/--.*$/gm, '').trim() !== '')
}

/**
 * Provides the `.sql` files of a folder as Kysely migrations, named by file name (they start
 * with an ISO date, so name order is time order). Each runs in the migrator's transaction.
 */
export class SqlFileMigrationProvider implements MigrationProvider {
  constructor (private readonly folder: string) {}

  async getMigrations (): Promise<Record<string, Migration>> {
    const files = (await readdir(this.folder)).filter((f) => f.endsWith('.sql')).sort()
    const migrations: Record<string, Migration> = {}
    for (const file of files) {
      const statements = splitSqlStatements(await readFile(join(this.folder, file), 'utf8'))
      migrations[file.replace(/\.sql$/, '')] = {
        async up (db: Kysely<any>) {
          for (const s of statements) await sql.raw(s).execute(db)
        }
      }
    }
    return migrations
  }
}

export class MigrationError extends Error {
  override readonly name = 'MigrationError'
}

/**
 * Runs every pending migration. Kysely's migrator takes a lock in the database, so instances
 * starting together run each migration once. Throws MigrationError when one fails.
 * @returns the names of the migrations it ran
 */
export async function migrateToLatest (db: Kysely<any>, folder = MIGRATIONS_DIR): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new SqlFileMigrationProvider(folder), migrationTableName: 'schema_migratie', migrationLockTableName: 'schema_migratie_slot' })
  const { error, results } = await migrator.migrateToLatest()
  const failed = results?.find((r) => r.status === 'Error')
  if (error !== undefined) {
    const cause = error instanceof Error ? error.message : String(error)
    throw new MigrationError(`migration ${failed?.migrationName ?? '(before any ran)'} failed: ${cause}`)
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}

/** How many migrations the database has applied (a live query: it fails when the database does not answer). */
export async function appliedMigrationCount (db: Kysely<any>): Promise<number> {
  const r = await sql<{ n: string | number }>`select count(*) as n from schema_migratie`.execute(db)
  return Number(r.rows[0]?.n ?? 0)
}
