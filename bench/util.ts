import pg from 'pg'

/** A small seeded PRNG, so every run measures the same inputs (the demo's). */
export { mulberry32 } from '../src/demo/kwartaal.js'

const fmt = (n: number): string => n >= 100 ? Math.round(n).toLocaleString('en-US') : String(Math.round(n * 100) / 100)

/** Prints one benchmark line: `bench <name>: <figure> <unit> (<ratio>x <baseline>)`. */
export function line (name: string, figure: number, unit: string, ratio?: number, baseline?: string): void {
  const suffix = ratio === undefined ? '' : ` (${ratio >= 10 ? Math.round(ratio) : Math.round(ratio * 100) / 100}x ${baseline ?? 'baseline'})`
  process.stdout.write(`bench ${name}: ${fmt(figure)} ${unit}${suffix}\n`)
}

/**
 * Runs `f` with a new PostgreSQL database on the server of `base`, and drops it afterwards,
 * also when `f` fails, so benchmarks leave nothing behind.
 */
export async function withPgDatabase<T> (base: string, prefix: string, f: (url: string) => Promise<T>): Promise<T> {
  const name = `${prefix}_${process.pid}_${Math.floor(Math.random() * 1e6)}`
  const admin = new pg.Client({ connectionString: base })
  await admin.connect()
  await admin.query(`create database ${name}`)
  const u = new URL(base)
  u.pathname = `/${name}`
  try {
    return await f(u.toString())
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`)
    await admin.end()
  }
}
