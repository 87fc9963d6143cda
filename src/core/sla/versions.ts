import { DateTime } from 'luxon'
import type { Instant } from '../time.js'
import type { VoorwaardenVersie } from './types.js'

// The instant a `geldigVanaf` date begins in a zone never changes: memoise it (a pure cache).
const startOfDate = new Map<string, Instant>()
function dateStart (date: string, timeZone: string): Instant {
  const key = `${timeZone}|${date}`
  let t = startOfDate.get(key)
  if (t === undefined) {
    t = DateTime.fromISO(date, { zone: timeZone }).startOf('day').toMillis()
    startOfDate.set(key, t)
  }
  return t
}

/**
 * The version of a contract's terms in force at an instant: the one with the latest
 * `geldigVanaf` whose day (in `timeZone`) has begun by the instant. Before the first version,
 * the first one holds (a contract's first version is its terms from the start). So a later
 * change of norms never rewrites how earlier meldingen are judged.
 */
export function versionInForce<V extends VoorwaardenVersie> (versions: readonly V[], at: Instant, timeZone: string): V {
  if (versions.length === 0) throw new RangeError('a contract has at least one version of its terms')
  let best: V | undefined
  let first = versions[0] as V
  for (const v of versions) {
    if (v.geldigVanaf < first.geldigVanaf) first = v
    if (dateStart(v.geldigVanaf, timeZone) <= at && (best === undefined || v.geldigVanaf > best.geldigVanaf)) best = v
  }
  return best ?? first
}
