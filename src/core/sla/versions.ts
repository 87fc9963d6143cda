import { DateTime } from 'luxon'
import type { Instant } from '../time.js'
import type { VoorwaardenVersie } from './types.js'

/**
 * The version of a contract's terms in force at an instant: the one with the latest
 * `geldigVanaf` on or before the instant's date in `timeZone`. Before the first version, the
 * first one holds (a contract's first version is its terms from the start). So a later change
 * of norms never rewrites how earlier meldingen are judged.
 */
export function versionInForce<V extends VoorwaardenVersie> (versions: readonly V[], at: Instant, timeZone: string): V {
  if (versions.length === 0) throw new RangeError('a contract has at least one version of its terms')
  const date = DateTime.fromMillis(at, { zone: timeZone }).toISODate() ?? ''
  let best: V | undefined
  let first = versions[0] as V
  for (const v of versions) {
    if (v.geldigVanaf < first.geldigVanaf) first = v
    if (v.geldigVanaf <= date && (best === undefined || v.geldigVanaf > best.geldigVanaf)) best = v
  }
  return best ?? first
}
