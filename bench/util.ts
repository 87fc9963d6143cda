/** A small seeded PRNG, so every run measures the same inputs. */
export function mulberry32 (seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const fmt = (n: number): string => n >= 100 ? Math.round(n).toLocaleString('en-US') : String(Math.round(n * 100) / 100)

/** Prints one benchmark line: `bench <name>: <figure> <unit> (<ratio>x <baseline>)`. */
export function line (name: string, figure: number, unit: string, ratio?: number, baseline?: string): void {
  const suffix = ratio === undefined ? '' : ` (${ratio >= 10 ? Math.round(ratio) : Math.round(ratio * 100) / 100}x ${baseline ?? 'baseline'})`
  process.stdout.write(`bench ${name}: ${fmt(figure)} ${unit}${suffix}\n`)
}
