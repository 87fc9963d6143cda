// A slow, obviously correct reference for a month's availability, straight from the samples
// (R-BES-1…4): every sample holds until the next one, at most 2 × the interval; step through
// the window minute by minute (samples are on whole minutes here).
import { DateTime } from 'luxon'

const MIN = 60_000

export interface Sample { op: number, beschikbaar: boolean }

export function referenceMonth (samples: readonly Sample[], interval: number, maand: string, excluded: ReadonlyArray<[number, number]> = []): { beschikbaar: number, onbeschikbaar: number, onbekend: number, uitgesloten: number } {
  const byInstant = new Map<number, boolean>()
  for (const s of samples) byInstant.set(s.op, (byInstant.get(s.op) ?? true) && s.beschikbaar)
  const sorted = [...byInstant.entries()].sort((a, b) => a[0] - b[0])
  const stateAt = (t: number): boolean | undefined => {
    let lo = 0; let hi = sorted.length
    while (lo < hi) { const mid = (lo + hi) >> 1; if ((sorted[mid] as [number, boolean])[0] <= t) lo = mid + 1; else hi = mid }
    const i = lo - 1
    if (i < 0) return undefined
    const [op, up] = sorted[i] as [number, boolean]
    return t < op + 2 * interval ? up : undefined
  }
  const out = { beschikbaar: 0, onbeschikbaar: 0, onbekend: 0, uitgesloten: 0 }
  const first = DateTime.fromISO(`${maand}-01`, { zone: 'Europe/Amsterdam' })
  for (let d = first; d.month === first.month; d = d.plus({ days: 1 })) {
    const end = d.set({ hour: 23 }).toMillis()
    for (let t = d.set({ hour: 7 }).toMillis(); t < end; t += MIN) {
      if (excluded.some(([a, b]) => t >= a && t < b)) { out.uitgesloten += MIN; continue }
      const s = stateAt(t)
      if (s === undefined) out.onbekend += MIN
      else if (s) out.beschikbaar += MIN
      else out.onbeschikbaar += MIN
    }
  }
  return out
}
