import { DateTime } from 'luxon'
import { formatDuration, formatInstant, type Explanation, type NotCounted } from '../../../core/index.js'
import type { Uitleg } from '../../schemas/kalender.js'

const REDEN: Readonly<Record<NotCounted['reason'], string>> = {
  weekend: 'weekend',
  feestdag: 'feestdag',
  'extra-gesloten': 'extra gesloten dag',
  'buiten-kantooruren': 'buiten kantooruren',
  gepauzeerd: 'gepauzeerd'
}

/** Maps the core's explanation to the API's shape, with a Dutch sentence per day. */
export function toUitleg (e: Explanation): Uitleg {
  const local = (t: number, end: boolean): string => {
    const dt = DateTime.fromMillis(t, { zone: e.timeZone })
    // The end of a day is 24:00 of that day, not 00:00 of the next.
    return end && dt.hour === 0 && dt.minute === 0 && dt.second === 0 ? '24:00' : dt.toFormat(dt.second === 0 ? 'HH:mm' : 'HH:mm:ss')
  }
  return {
    kalender: e.calendar,
    tijdzone: e.timeZone,
    van: formatInstant(e.start),
    tot: formatInstant(e.end),
    geteld: formatDuration(e.counted),
    pauzes: e.pauses.map((p) => ({ van: formatInstant(p.start), tot: formatInstant(p.end) })),
    dagen: e.days.map((d) => {
      const dag = DateTime.fromISO(d.date, { zone: e.timeZone }).setLocale('nl').toFormat('cccc d LLLL yyyy')
      const wat = d.kind === 'werkdag' ? 'werkdag' : d.kind === 'weekend' ? 'weekend' : `${d.kind === 'feestdag' ? 'feestdag' : 'extra gesloten dag'} (${d.name ?? ''})`
      const niet = d.notCounted.map((n) => `${local(n.start, false)}–${local(n.end, true)} ${REDEN[n.reason]}`)
      return {
        datum: d.date,
        soort: d.kind,
        ...(d.name === undefined ? {} : { naam: d.name }),
        ...(d.officeHours === undefined ? {} : { kantooruren: { van: formatInstant(d.officeHours.start), tot: formatInstant(d.officeHours.end) } }),
        geteld: formatDuration(d.counted),
        nietGeteld: d.notCounted.map((n) => ({
          van: formatInstant(n.start),
          tot: formatInstant(n.end),
          duur: formatDuration(n.end - n.start),
          reden: n.reason,
          ...(n.name === undefined ? {} : { naam: n.name })
        })),
        toelichting: `${dag}, ${wat}: ${formatDuration(d.counted)} geteld${niet.length > 0 ? `; niet geteld: ${niet.join(', ')}` : ''}.`
      }
    })
  }
}
