import t from 'tap'
import { FIRST_INSTANT_YEAR, FIRST_YEAR, formatDuration, formatInstant, LAST_INSTANT_YEAR, LAST_YEAR, parseDuration, parseInstant } from '../../src/core/index.js'

t.test('parseInstant takes any offset and refuses what is not an instant', async (t) => {
  t.equal(parseInstant('2026-03-10T09:30:00+01:00'), Date.UTC(2026, 2, 10, 8, 30))
  t.equal(parseInstant('2026-03-10T09:30:00-05:00'), Date.UTC(2026, 2, 10, 14, 30))
  t.equal(parseInstant('2026-03-10T09:30:00.5Z'), Date.UTC(2026, 2, 10, 9, 30, 0, 500))
  t.equal(parseInstant('2026-03-10T09:30+0100'), Date.UTC(2026, 2, 10, 8, 30))
  t.equal(parseInstant('2024-02-29T00:00:00Z'), Date.UTC(2024, 1, 29))
  for (const bad of ['2026-03-10T09:30:00', '2026-02-30T00:00:00Z', '2026-02-28T24:00:00Z', '2026-03-10T09:60:00Z', '2025-02-29T00:00:00Z', '2026-13-01T00:00:00Z', 'gisteren', '']) {
    t.throws(() => parseInstant(bad, 'van'), { code: 'invalid-instant', field: 'van' }, bad)
  }
})

t.test('durations: hours, minutes and seconds only, never days', async (t) => {
  t.equal(parseDuration('PT20H'), 20 * 3_600_000)
  t.equal(parseDuration('PT1H30M'), 90 * 60_000)
  t.equal(parseDuration('PT0S'), 0)
  t.equal(parseDuration('PT1.5S'), 1500)
  for (const bad of ['P1D', 'PT', 'P1W', '20H', 'PT-1H']) t.throws(() => parseDuration(bad), { code: 'invalid-duration' }, bad)
  t.equal(formatDuration(100 * 3_600_000), 'PT100H')
  t.equal(formatDuration(0), 'PT0S')
  t.equal(formatDuration(90 * 60_000 + 1500), 'PT1H30M1.5S')
  t.equal(formatInstant(Date.UTC(2026, 2, 10, 8, 30)), '2026-03-10T08:30:00Z')
  t.equal(formatInstant(Date.UTC(2026, 2, 10, 8, 30, 0, 250)), '2026-03-10T08:30:00.250Z')
})

t.test('parseInstant: years 1970–2199 only, never a year 0–99 read as 1900–1999 (issue 10)', async (t) => {
  t.equal(FIRST_INSTANT_YEAR, FIRST_YEAR, 'the instants cover the years the calendar computes')
  t.equal(LAST_INSTANT_YEAR, LAST_YEAR)
  t.equal(parseInstant('1970-01-01T00:00:00Z'), 0)
  t.equal(parseInstant('2199-12-31T23:59:59.999Z'), Date.UTC(2200, 0, 1) - 1)
  t.equal(parseInstant('2200-01-01T00:30:00+01:00'), Date.UTC(2199, 11, 31, 23, 30), 'the instant counts, not the year as written')
  for (const bad of ['0050-02-20T14:00:00Z', '0000-01-01T00:00:00Z', '0099-12-31T23:59:59Z', '1969-12-31T23:59:59Z', '1970-01-01T00:30:00+01:00', '2200-01-01T00:00:00Z', '9999-12-31T23:59:59Z']) {
    const err = t.throws(() => parseInstant(bad, 'gemeldOp'), { code: 'invalid-instant', field: 'gemeldOp' }, bad) as unknown as Error
    t.match(err.message, /outside the years 1970–2199/, `${bad}: the message names the range`)
    if (bad.startsWith('00')) t.notMatch(err.message, /19[0-9]{2}-/, `${bad}: never names the year 19xx it would have been read as`)
  }
  // 29 February of year 0 exists (a leap year); still out of range, not "out of range part"
  t.throws(() => parseInstant('0000-02-29T00:00:00Z'), { message: /outside the years/ })
})
