import Holidays from 'date-holidays'
import type { ClosedDay } from '../../core/index.js'

/**
 * The holidays of the Algemene termijnenwet, art. 3 (R-CAL-2), keyed by date-holidays' `rule`
 * and named as the law names them. date-holidays also lists Goede Vrijdag, Pasen, Pinksteren,
 * Sinterklaas and more; only these eight are no werkdag. 5 May is one every year (date-holidays
 * marks it `school`, so select by rule, not by type).
 */
const TERMIJNENWET: ReadonlyArray<readonly [test: (rule: string) => boolean, name: string]> = [
  [(r) => r === '01-01', 'Nieuwjaarsdag'],
  [(r) => r === 'easter 1', 'Tweede Paasdag'],
  [(r) => r === 'easter 39', 'Hemelvaartsdag'],
  [(r) => r === 'easter 50', 'Tweede Pinksterdag'],
  // "04-27 if sunday then previous saturday since 2014": already moved to 26 April when needed.
  [(r) => r.startsWith('04-27'), 'Koningsdag'],
  [(r) => r === '05-05', 'Bevrijdingsdag'],
  [(r) => r === '12-25', 'Eerste Kerstdag'],
  [(r) => r === '12-26', 'Tweede Kerstdag']
]

const nl = new Holidays('NL')

/** The Dutch holidays that are no werkdag in `year`, sorted by date. Pure per year. */
export function dutchHolidays (year: number): ClosedDay[] {
  const out: ClosedDay[] = []
  for (const h of nl.getHolidays(year)) {
    const match = TERMIJNENWET.find(([test]) => test(h.rule))
    if (match !== undefined) out.push({ date: h.date.slice(0, 10), name: match[1], kind: 'feestdag' })
  }
  return out.sort((a, b) => a.date.localeCompare(b.date))
}
