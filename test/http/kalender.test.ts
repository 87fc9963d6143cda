import t from 'tap'
import { build, withKeys } from '../helpers/app.js'

t.test('kalender endpoints', async (t) => {
  const { call } = await build(t)
  const { keys } = await withKeys(call)
  const get = async (key: string | null, url: string) => await call(key, { method: 'GET', url })

  t.test('any key role may call them; no key may not', async (t) => {
    for (const role of ['beheerder', 'lezer', 'leverancier', 'monitor'] as const) {
      t.equal((await get(keys[role], '/api/v1/kalender/feestdagen?jaar=2026')).statusCode, 200, role)
    }
    t.equal((await get(null, '/api/v1/kalender/feestdagen?jaar=2026')).statusCode, 401)
  })

  t.test('feestdagen: the 8 days of 2026 with Dutch names (R-CAL-2)', async (t) => {
    const r = await get(keys.lezer, '/api/v1/kalender/feestdagen?jaar=2026')
    t.equal(r.data.jaar, 2026)
    t.same(r.data.feestdagen.map((f: { datum: string }) => f.datum), ['2026-01-01', '2026-04-06', '2026-04-27', '2026-05-05', '2026-05-14', '2026-05-25', '2026-12-25', '2026-12-26'])
    t.match(r.data.feestdagen[1], { naam: 'Tweede Paasdag', weekdag: 'maandag' })
    const bad = await get(keys.lezer, '/api/v1/kalender/feestdagen?jaar=tweeduizend')
    t.equal(bad.statusCode, 400)
    t.same(bad.data.invalidParams.map((p: { name: string }) => p.name), ['jaar'])
  })

  t.test('deadline: E1 through the API, answers in UTC', async (t) => {
    const r = await get(keys.leverancier, '/api/v1/kalender/deadline?van=2026-03-10T09:30:00%2B01:00&duur=PT20H')
    t.equal(r.statusCode, 200)
    t.same(r.data, { van: '2026-03-10T08:30:00Z', duur: 'PT20H', kalender: 'kantooruren', deadline: '2026-03-12T08:30:00Z' })
  })

  t.test('an unencoded + in the offset (a space after URL decoding) is read as +', async (t) => {
    const r = await get(keys.lezer, '/api/v1/kalender/deadline?van=2026-03-10T09:30:00+01:00&duur=PT1H')
    t.equal(r.data.deadline, '2026-03-10T09:30:00Z')
  })

  t.test('deadline with pauses and an explanation (E4)', async (t) => {
    const q = new URLSearchParams({ van: '2026-06-03T11:00:00+02:00', duur: 'PT50H', uitleg: 'true' })
    q.append('pauze', '2026-06-03T14:00:00+02:00/2026-06-04T10:00:00+02:00')
    const r = await get(keys.lezer, `/api/v1/kalender/deadline?${q.toString()}`)
    t.equal(r.statusCode, 200)
    t.equal(r.data.deadline, '2026-06-10T15:00:00Z')
    const u = r.data.uitleg
    t.equal(u.geteld, 'PT50H')
    t.same(u.pauzes, [{ van: '2026-06-03T12:00:00Z', tot: '2026-06-04T08:00:00Z' }])
    t.equal(u.dagen[0].datum, '2026-06-03')
    t.equal(u.dagen[0].geteld, 'PT3H')
    t.match(u.dagen[0].toelichting, /^woensdag 3 juni 2026, werkdag: PT3H geteld; niet geteld: 14:00–18:00 gepauzeerd, 18:00–24:00 buiten kantooruren\.$/)
    t.equal(u.dagen[1].geteld, 'PT8H')
    t.match(u.dagen[1].toelichting, /^donderdag 4 juni 2026, werkdag: PT8H geteld; niet geteld: 00:00–08:00 buiten kantooruren, 08:00–10:00 gepauzeerd/, 'a day starts at 00:00')
    t.match(u.dagen[1].nietGeteld, [{ reden: 'buiten-kantooruren' }, { reden: 'gepauzeerd', duur: 'PT2H' }])
    t.same(u.dagen.filter((d: { soort: string }) => d.soort === 'weekend').map((d: { datum: string }) => d.datum), ['2026-06-06', '2026-06-07'])
  })

  t.test('werktijd with an explanation naming a holiday (E2 range)', async (t) => {
    const r = await get(keys.lezer, '/api/v1/kalender/werktijd?van=2026-04-03T16:00:00%2B02:00&tot=2026-04-07T10:00:00%2B02:00&uitleg=true')
    t.equal(r.data.werktijd, 'PT4H')
    const paas = r.data.uitleg.dagen.find((d: { datum: string }) => d.datum === '2026-04-06')
    t.match(paas, { soort: 'feestdag', naam: 'Tweede Paasdag', geteld: 'PT0S', nietGeteld: [{ reden: 'feestdag', naam: 'Tweede Paasdag', duur: 'PT24H' }] })
    const noUitleg = await get(keys.lezer, '/api/v1/kalender/werktijd?van=2026-04-03T14:00:00Z&tot=2026-04-03T14:30:00Z')
    t.same(Object.keys(noUitleg.data).sort(), ['kalender', 'tot', 'van', 'werktijd'])
    t.equal(noUitleg.data.werktijd, 'PT30M')
  })

  t.test('the altijd calendar (R-CAL-6)', async (t) => {
    const r = await get(keys.lezer, '/api/v1/kalender/deadline?van=2026-03-14T10:00:00Z&duur=PT4H&kalender=altijd')
    t.equal(r.data.deadline, '2026-03-14T14:00:00Z')
  })

  t.test('bad instants, durations and pauses: 400 naming each parameter', async (t) => {
    const r = await get(keys.lezer, '/api/v1/kalender/deadline?van=2026-03-10T09:30:00&duur=P1D&pauze=gisteren')
    t.equal(r.statusCode, 400)
    t.match(r.headers['content-type'], /problem\+json/)
    t.same(r.data.invalidParams.map((p: { name: string }) => p.name), ['van', 'duur', 'pauze[0]'])
    t.match(r.data.invalidParams[0].reason, /with an offset/)
    t.match(r.data.invalidParams[1].reason, /no days: a werkdag is 10 werkuren, so PT10H/)
    const missing = await get(keys.lezer, '/api/v1/kalender/werktijd?van=2026-03-10T09:30:00Z')
    t.same(missing.data.invalidParams, [{ name: 'tot', reason: 'is required' }])
    const reversed = await get(keys.lezer, '/api/v1/kalender/werktijd?van=2026-03-10T09:30:00Z&tot=2026-03-09T09:30:00Z')
    t.same(reversed.data.invalidParams.map((p: { name: string }) => p.name), ['tot'])
    const kal = await get(keys.lezer, '/api/v1/kalender/deadline?van=2026-03-10T09:30:00Z&duur=PT1H&kalender=nooit')
    t.match(kal.data.invalidParams, [{ name: 'kalender', reason: /kantooruren, altijd/ }])
    const far = await get(keys.lezer, '/api/v1/kalender/deadline?van=2399-03-10T09:30:00Z&duur=PT1H')
    t.equal(far.statusCode, 400)
    const long = await get(keys.lezer, '/api/v1/kalender/werktijd?van=2026-01-01T00:00:00Z&tot=2028-01-01T00:00:00Z&uitleg=true')
    t.equal(long.statusCode, 400)
    t.match(long.data.detail, /at most 400 days/)
    const invalidDate = await get(keys.lezer, '/api/v1/kalender/deadline?van=2026-02-30T09:30:00Z&duur=PT1H')
    t.equal(invalidDate.statusCode, 400)
  })
})
