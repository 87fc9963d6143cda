/**
 * Compact encodings of what availability stores (R-BES-2, R-BES-7): sample instants of a run as
 * zigzag varints of their distance from the regular interval (a probe on time costs one byte),
 * and a histogram as (bucket, varint count) pairs of its non-empty buckets.
 */

function writeVarint (out: number[], n: number): void {
  let v = n
  while (v >= 0x80) { out.push((v % 0x80) | 0x80); v = Math.floor(v / 0x80) }
  out.push(v)
}

function readVarint (buf: Uint8Array, pos: { i: number }): number {
  let v = 0
  let mul = 1
  for (;;) {
    const b = buf[pos.i++]
    if (b === undefined) throw new RangeError('truncated varint')
    v += (b & 0x7f) * mul
    if (b < 0x80) return v
    mul *= 0x80
  }
}

const zigzag = (n: number): number => (n >= 0 ? n * 2 : -n * 2 - 1)
const unzigzag = (n: number): number => (n % 2 === 0 ? n / 2 : -(n + 1) / 2)

const SECOND = 1000

/**
 * Instants after the first, as their deviation in whole seconds from `interval` (the first is
 * stored as `van`). Instants and the interval are whole seconds (the service keeps samples to the
 * second), so a probe that is on time costs one byte.
 */
export function encodeInstants (instants: readonly number[], interval: number): Uint8Array {
  const out: number[] = []
  for (let i = 1; i < instants.length; i++) {
    const deviation = ((instants[i] as number) - (instants[i - 1] as number) - interval) / SECOND
    if (!Number.isInteger(deviation)) throw new RangeError('instants and interval must be whole seconds')
    writeVarint(out, zigzag(deviation))
  }
  return Uint8Array.from(out)
}

export function decodeInstants (first: number, bytes: Uint8Array, interval: number): number[] {
  const out = [first]
  const pos = { i: 0 }
  let t = first
  while (pos.i < bytes.length) {
    t += unzigzag(readVarint(bytes, pos)) * SECOND + interval
    out.push(t)
  }
  return out
}

export function encodeHistogram (h: ReadonlyMap<number, number>): Uint8Array {
  const out: number[] = []
  for (const k of [...h.keys()].sort((a, b) => a - b)) {
    out.push(k)
    writeVarint(out, h.get(k) as number)
  }
  return Uint8Array.from(out)
}

/**
 * Decodes a histogram; a bucket that occurs more than once is summed, so the concatenation of
 * encoded histograms (SQL `string_agg`) decodes as their sum.
 */
export function decodeHistogram (bytes: Uint8Array): Map<number, number> {
  const out = new Map<number, number>()
  const pos = { i: 0 }
  while (pos.i < bytes.length) {
    const k = bytes[pos.i++] as number
    out.set(k, (out.get(k) ?? 0) + readVarint(bytes, pos))
  }
  return out
}
