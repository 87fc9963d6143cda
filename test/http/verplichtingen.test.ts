// Verplichtingen through the API (issue 15, SLA-RULES §12): the worked examples E12–E14, the
// records append-only with corrections as new records, scope per leverancier (404 for another's
// contract, as the contract itself), 400s naming their fields, answers as documented.
import t from 'tap'
import { BOOTSTRAP, build, standardContract, TEST_NOW, withKeys } from '../helpers/app.js'
import { parse } from 'csv-parse/sync'
import { documentedResponses } from '../helpers/openapi.js'
import { pdfText } from '../helpers/pdf.js'

t.test('verplichtingen', async (t) => {
  const { app, call, handle } = await build(t)
  const { keys, leverancierId, otherLeverancierId } = await withKeys(call)
  const contract = await standardContract(call, leverancierId, { geldigVanaf: '2025-12-01' })
  const otherContract = await standardContract(call, otherLeverancierId, { geldigVanaf: '2025-12-01' })
  const documented = documentedResponses(app)
  const post = async (key: string, path: string, payload: object, id = contract) => {
    const url = `/api/v1/contracten/${id}/${path}`
    const r = await call(key, { method: 'POST', url, payload })
    t.same(documented('POST', url, r.statusCode, r.data, r.headers['content-type'] as string), [], `POST ${path} ${r.statusCode} as documented`)
    return r
  }
  const overview = async (key: string, query = '', id = contract) => {
    const url = `/api/v1/contracten/${id}/verplichtingen${query}`
    const r = await call(key, { method: 'GET', url })
    t.same(documented('GET', url, r.statusCode, r.data, r.headers['content-type'] as string), [], `GET verplichtingen${query} ${r.statusCode} as documented`)
    return r
  }
  const find = (list: any[], soort: string, onderwerp: string): any => list.find((v) => v.soort === soort && v.onderwerp === onderwerp)

  t.test('E12 (R-VPL-3): verslag of the operationeel overleg of Thu 2026-04-30 due 2026-05-09 00:00, Bevrijdingsdag skipped', async (t) => {
    const r = await post(keys.leverancier, 'overleggen', { niveau: 'operationeel', datum: '2026-04-30' })
    t.equal(r.statusCode, 201)
    t.equal(r.data.verslagOntvangenOp, null)
    const again = await post(keys.leverancier, 'overleggen', { niveau: 'operationeel', datum: '2026-04-30' })
    t.equal(again.statusCode, 200, 'the same record again adds nothing')
    t.equal(again.data.id, r.data.id)
    const open = await overview(keys.lezer, '?peilmoment=2026-05-08T23:59:59%2B02:00&soort=verslag')
    t.equal(open.statusCode, 200)
    t.match(open.data.resultaten, [{ soort: 'verslag', onderwerp: 'operationeel 2026-04-30', verwachtOp: '2026-05-08T22:00:00Z', verwachtDatum: '2026-05-08', status: 'open', inbreuk: false, regel: 'R-VPL-3' }])
    t.match(open.data.resultaten[0].uitleg, /geteld vr 1 mei 2026, ma 4 mei 2026, wo 6 mei 2026, do 7 mei 2026, vr 8 mei 2026; overgeslagen di 5 mei 2026 \(Bevrijdingsdag\)/)
    const late = await overview(keys.lezer, '?peilmoment=2026-05-09T00:00:00%2B02:00&soort=verslag')
    t.match(late.data.resultaten[0], { status: 'verlopen', inbreuk: true, dagenTeLaat: 1, teLaat: 'PT0S' })
    // The verslag's arrival as its own, later record about the same overleg.
    const verslag = await post(keys.leverancier, 'overleggen', { niveau: 'operationeel', datum: '2026-04-30', verslagOntvangenOp: '2026-05-08T16:00:00+02:00' })
    t.equal(verslag.statusCode, 201)
    const met = await overview(keys.leverancier, '?peilmoment=2026-05-20T12:00:00Z&soort=verslag')
    t.match(met.data.resultaten, [{ status: 'op-tijd', vervuldOp: '2026-05-08T14:00:00Z' }])
    t.same(met.data.resultaten[0].bronnen.sort(), [r.data.id, verslag.data.id].sort())
    const before = await post(BOOTSTRAP, 'overleggen', { niveau: 'tactisch', datum: '2026-04-30', verslagOntvangenOp: '2026-04-29T16:00:00+02:00' })
    t.equal(before.statusCode, 400)
    t.same(before.data.invalidParams.map((p: any) => p.name), ['verslagOntvangenOp'])
  })

  t.test('E13 (R-VPL-2): release on test Mon 2026-06-01 14:00, no reply, on production Sat 2026-06-20 22:00: accepted 2026-06-22 14:00 and the installation is a breach', async (t) => {
    t.equal((await post(keys.leverancier, 'releases', { kenmerk: '2026.2', soort: 'upgrade', opTestOp: '2026-06-01T14:00:00+02:00' })).statusCode, 201)
    const pending = await overview(keys.lezer, '?peilmoment=2026-06-10T12:00:00Z&soort=acceptatie')
    t.match(pending.data.resultaten, [{ onderwerp: '2026.2', verwachtOp: '2026-06-22T12:00:00Z', status: 'open', inbreuk: false }])
    t.equal((await post(keys.leverancier, 'releases', { kenmerk: '2026.2', inProductieVan: '2026-06-20T22:00:00+02:00', inProductieTot: '2026-06-21T00:30:00+02:00' })).statusCode, 201)
    const r = await overview(keys.lezer, '?peilmoment=2026-07-01T12:00:00Z&soort=acceptatie')
    t.match(r.data.resultaten, [{ onderwerp: '2026.2', verwachtOp: '2026-06-22T12:00:00Z', vervuldOp: '2026-06-20T20:00:00Z', status: 'te-vroeg', inbreuk: true, regel: 'R-VPL-2' }])
    t.match(r.data.resultaten[0].uitleg, /stilzwijgend geaccepteerd op ma 22 jun 2026 14:00.*inbreuk/)
    const noAccept = await post(keys.leverancier, 'releases', { kenmerk: '2026.2', geaccepteerdOp: '2026-06-02T09:00:00+02:00', beslotenDoor: 'Leverancier zelf' })
    t.equal(noAccept.statusCode, 400, 'a leverancier key cannot accept its own release')
    t.same(noAccept.data.invalidParams.map((p: any) => p.name), ['geaccepteerdOp', 'beslotenDoor'])
    const accepted = await post(BOOTSTRAP, 'releases', { kenmerk: '2026.3', opTestOp: '2026-06-01T14:00:00+02:00', geaccepteerdOp: '2026-06-10T09:00:00+02:00', beslotenDoor: 'J. de Vries', inProductieVan: '2026-06-12T12:00:00+02:00', inProductieTot: '2026-06-12T17:00:00+02:00' })
    t.equal(accepted.statusCode, 201)
    const a = find((await overview(keys.lezer, '?peilmoment=2026-07-01T12:00:00Z&soort=acceptatie')).data.resultaten, 'acceptatie', '2026.3')
    t.match(a, { status: 'op-tijd', verwachtOp: '2026-06-10T07:00:00Z' })
    t.match(a.uitleg, /binnen kantooruren en langer dan 4 uur/, 'R-BES-6: the installation itself was inside kantooruren and over 4 hours')
  })

  t.test('E14 (R-VPL-3): operationeel overleg 2026-01-08, next 2026-02-26: due 2026-02-19, 7 days late', async (t) => {
    await post(BOOTSTRAP, 'overleggen', { niveau: 'operationeel', datum: '2026-01-08' })
    await post(BOOTSTRAP, 'overleggen', { niveau: 'operationeel', datum: '2026-02-26' })
    const r = await overview(keys.lezer, '?peilmoment=2026-03-01T12:00:00Z&soort=overleg-operationeel')
    t.match(find(r.data.resultaten, 'overleg-operationeel', '2026-01-12'), { status: 'op-tijd' })
    t.match(find(r.data.resultaten, 'overleg-operationeel', '2026-02-19'), { status: 'te-laat', dagenTeLaat: 7, verwachtOp: '2026-02-19T23:00:00Z', vervuldOp: '2026-02-25T23:00:00Z', inbreuk: true })
    t.match(r.data.resultaten[0], { onderwerp: '2026-04-09', status: 'open' }, 'the next due first')
    t.match(find(r.data.resultaten, 'overleg-operationeel', '2026-02-19').uitleg, /42 dagen na het vorige overleg van do 8 jan 2026.*7 dagen/)
  })

  t.test('documents, exit and restore tests take part; the cross-contract verlopen list', async (t) => {
    t.equal((await post(keys.leverancier, 'documenten', { soort: 'upgradebeleid', jaar: 2026, ontvangenOp: '2025-12-15T10:00:00+01:00' })).statusCode, 201)
    t.equal((await post(keys.leverancier, 'documenten', { soort: 'iso27001', geldigTot: '2026-09-30', ontvangenOp: '2025-12-15T10:00:00+01:00' })).statusCode, 201)
    t.equal((await post(keys.leverancier, 'documenten', { soort: 'tpm', type: 'isae-3402', periodeVan: '2025-01-01', periodeTot: '2025-12-31', ontvangenOp: '2026-03-02T10:00:00+01:00' })).statusCode, 201)
    const bad = await post(keys.leverancier, 'documenten', { soort: 'tpm', jaar: 2026, ontvangenOp: '2026-03-02T10:00:00+01:00' })
    t.equal(bad.statusCode, 400)
    t.same(bad.data.invalidParams.map((p: any) => p.name).sort(), ['jaar', 'periodeTot', 'periodeVan', 'type'])
    const schemaBad = await post(keys.leverancier, 'documenten', { soort: 'iso', ontvangenOp: 'gisteren', geldigTot: '2026-02-30' })
    t.equal(schemaBad.statusCode, 400)
    t.same(schemaBad.data.invalidParams.map((p: any) => p.name).sort(), ['geldigTot', 'ontvangenOp', 'soort'])
    const rt = await call(keys.leverancier, { method: 'POST', url: '/api/v1/restoretests', payload: { contract, kenmerk: 'RT-2026-Q1', uitgevoerdOp: '2026-02-10T10:00:00+01:00', resultaat: 'geslaagd' } })
    t.equal(rt.statusCode, 201)
    const exitByLeverancier = await post(keys.leverancier, 'exit', { einddatum: '2027-12-31' })
    t.equal(exitByLeverancier.statusCode, 400, 'the end date is the gemeente\'s to record')
    t.same(exitByLeverancier.data.invalidParams.map((p: any) => p.name), ['einddatum'])
    t.equal((await post(BOOTSTRAP, 'exit', { einddatum: '2027-12-31' })).statusCode, 201)

    const list = (await overview(keys.lezer, '?peilmoment=2026-11-01T12:00:00Z')).data.resultaten
    t.match(find(list, 'upgradebeleid', '2026'), { status: 'op-tijd', regel: 'R-VPL-1' })
    t.match(find(list, 'upgradebeleid', '2027'), { status: 'open', verwachtOp: '2026-12-31T23:00:00Z' })
    t.match(find(list, 'upgradebeleid', '2025'), { status: 'verlopen', verwachtOp: '2025-11-30T23:00:00Z' }, 'the first year: due at the contract\'s start')
    t.match(find(list, 'iso27001', '2026-09-30'), { status: 'verlopen', dagenTeLaat: 32 })
    t.match(find(list, 'tpm', '2026-12-01'), { status: 'op-tijd', vervuldOp: '2026-03-02T09:00:00Z' })
    t.match(find(list, 'tpm', '2027-03-02'), { status: 'open' })
    t.match(find(list, 'restoretest', '2026-Q1'), { status: 'op-tijd', bronnen: [rt.data.id] })
    t.match(find(list, 'restoretest', '2026-Q2'), { status: 'verlopen' })
    t.match(find(list, 'restoretest', '2025-Q4'), { status: 'verlopen' })
    t.match(find(list, 'overleg-strategisch', '2026'), { status: 'open', verwachtOp: '2026-12-31T23:00:00Z' })
    t.match(find(list, 'overleg-tactisch', '2025'), { status: 'verlopen' }, 'December 2025: one of four, pro rata')
    t.notOk(list.some((v: any) => v.soort === 'overleg-tactisch' && v.onderwerp.startsWith('2025 ')), 'only one in 2025')
    t.match(find(list, 'overleg-tactisch', '2026 #4'), { status: 'open' })
    t.match(find(list, 'exit-overbrugging', '2027-12-31'), { status: 'open', verwachtDatum: '2027-09-30' })
    t.match(find(list, 'exit-overdracht', '2027-12-31'), { status: 'open', verwachtDatum: '2027-12-31' })
    const unmet = list.findIndex((v: any) => v.status !== 'open' && v.status !== 'verlopen')
    t.ok(list.slice(unmet).every((v: any) => v.status !== 'open' && v.status !== 'verlopen'), 'what is not met first')

    t.equal((await post(BOOTSTRAP, 'exit', { overdrachtBevestigdOp: '2026-01-31T12:00:00+01:00' })).statusCode, 201)
    const v = find((await overview(keys.lezer, '?peilmoment=2026-03-01T12:00:00Z&soort=exit-vernietiging')).data.resultaten, 'exit-vernietiging', '2026-01-31')
    t.match(v, { verwachtDatum: '2026-02-28', status: 'verlopen', dagenTeLaat: 1 }, 'within 1 calendar month: 31 January → 28 February')

    const all = await call(keys.lezer, { method: 'GET', url: '/api/v1/verplichtingen?status=verlopen&peilmoment=2026-11-01T12:00:00Z&pageSize=500' })
    t.equal(all.statusCode, 200)
    t.same(documented('GET', '/api/v1/verplichtingen', 200, all.data), [])
    t.ok(all.data.resultaten.every((x: any) => x.status === 'verlopen'))
    t.same([...new Set(all.data.resultaten.map((x: any) => x.contract))].sort(), [contract, otherContract].sort(), 'every contract')
    t.equal(all.data.aantal, all.data.resultaten.length)
    const mine = await call(keys.leverancier, { method: 'GET', url: '/api/v1/verplichtingen?status=verlopen&peilmoment=2026-11-01T12:00:00Z&pageSize=500' })
    t.ok(mine.data.aantal > 0)
    t.ok(mine.data.resultaten.every((x: any) => x.contract === contract), 'a leverancier key sees only its own contracts')
    const paged = await call(keys.lezer, { method: 'GET', url: '/api/v1/verplichtingen?status=verlopen&peilmoment=2026-11-01T12:00:00Z&pageSize=2&page=2' })
    t.same(paged.data.resultaten, all.data.resultaten.slice(2, 4), 'pages of the same order')
    t.match(paged.headers.link, /rel="next"/)
  })

  t.test('scope: another leverancier\'s contract is a 404, for reading and writing', async (t) => {
    for (const path of ['overleggen', 'releases', 'documenten', 'exit', 'verplichtingen']) {
      const r = await call(keys.otherLeverancier, { method: 'GET', url: `/api/v1/contracten/${contract}/${path}` })
      t.equal(r.statusCode, 404, `GET ${path}`)
      t.same(documented('GET', `/api/v1/contracten/${contract}/${path}`, 404, r.data, r.headers['content-type'] as string), [])
      t.equal((await call(keys.leverancier, { method: 'GET', url: `/api/v1/contracten/${contract}/${path}` })).statusCode, 200, `own ${path}`)
    }
    const bodies: Record<string, object> = {
      overleggen: { niveau: 'tactisch', datum: '2026-03-03' },
      releases: { kenmerk: 'X', opTestOp: '2026-03-03T10:00:00Z' },
      documenten: { soort: 'upgradebeleid', jaar: 2027, ontvangenOp: '2026-03-03T10:00:00Z' },
      exit: { vernietigingsverklaringOp: '2026-03-03T10:00:00Z' }
    }
    const before = await handle.db.selectFrom('overleg').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
    for (const [path, body] of Object.entries(bodies)) {
      t.equal((await post(keys.otherLeverancier, path, body)).statusCode, 404, `POST ${path}`)
      t.equal((await post(keys.lezer, path, body)).statusCode, 403, `a lezer key does not write ${path}`)
    }
    const after = await handle.db.selectFrom('overleg').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
    t.equal(Number(after.n), Number(before.n), 'nothing written')
    const unknown = await call(BOOTSTRAP, { method: 'GET', url: '/api/v1/contracten/1d24b54e-8c1f-4b1e-9a6f-2f0c3b7d9e10/verplichtingen' })
    t.equal(unknown.statusCode, 404)
  })

  t.test('400s name their fields; records never change', async (t) => {
    const r = await post(BOOTSTRAP, 'releases', { kenmerk: '' , opTestOp: '2026-13-01T00:00:00Z', extra: 1 })
    t.equal(r.statusCode, 400)
    t.ok(r.data.invalidParams.some((p: any) => p.name === 'kenmerk'))
    t.ok(r.data.invalidParams.some((p: any) => p.name === 'opTestOp'))
    const noFact = await post(BOOTSTRAP, 'releases', { kenmerk: 'leeg' })
    t.same(noFact.data.invalidParams.map((p: any) => p.name), ['opTestOp'])
    const both = await post(BOOTSTRAP, 'releases', { kenmerk: 'x', geaccepteerdOp: '2026-03-03T10:00:00Z', afgekeurdOp: '2026-03-03T10:00:00Z', inProductieVan: '2026-03-05T10:00:00Z', inProductieTot: '2026-03-04T10:00:00Z' })
    t.same(both.data.invalidParams.map((p: any) => p.name), ['afgekeurdOp', 'inProductieTot'])
    const q = await overview(keys.lezer, '?peilmoment=morgen&status=klaar&soort=x')
    t.equal(q.statusCode, 400)
    t.same(q.data.invalidParams.map((p: any) => p.name).sort(), ['peilmoment', 'soort', 'status'])
    const year = await post(BOOTSTRAP, 'overleggen', { niveau: 'tactisch', datum: '2199-12-30' })
    t.equal(year.statusCode, 400, 'dates stay inside the calendar\'s years')
    t.same(year.data.invalidParams.map((p: any) => p.name), ['datum'])
    await t.rejects(handle.db.updateTable('overleg').set({ toelichting: 'x' }).execute(), 'rows never change')
    await t.rejects(handle.db.deleteFrom('release').execute(), 'rows are never deleted')
  })

  t.test('the quarterly report\'s section Overige afspraken: the quarter\'s obligations and the R-VPL-2 breach, reported and not part of the verdict', async (t) => {
    const rt = await call(keys.leverancier, { method: 'POST', url: '/api/v1/restoretests', payload: { contract, kenmerk: 'RT-2026-Q2', uitgevoerdOp: '2026-05-12T10:00:00+02:00', resultaat: 'geslaagd' } })
    t.equal(rt.statusCode, 201)
    const made = await call(keys.lezer, { method: 'POST', url: '/api/v1/rapportages', payload: { contract, periode: '2026-Q2' } })
    t.equal(made.statusCode, 201)
    const r = made.data
    t.same(documented('POST', '/api/v1/rapportages', 201, r), [], 'as documented')
    const o = r.overigeAfspraken
    t.match(o, { teltMeeInOordeel: false, peilmoment: '2026-06-30T22:00:00Z' }, 'read at the quarter\'s end')
    t.match(find(o.afspraken, 'verslag', 'operationeel 2026-04-30'), { status: 'op-tijd', regel: 'R-VPL-3', verwachtDatum: '2026-05-08' })
    t.match(find(o.afspraken, 'acceptatie', '2026.2'), { status: 'te-vroeg', inbreuk: true, regel: 'R-VPL-2' }, 'E13: the breach is in the report')
    t.match(find(o.afspraken, 'acceptatie', '2026.3'), { status: 'op-tijd' })
    t.notOk(o.afspraken.some((a: any) => a.soort === 'restoretest'), 'restore tests have their own section')
    t.ok(o.afspraken.every((a: any) => a.verwachtDatum >= '2026-04-01' && a.verwachtDatum <= '2026-06-30'), 'only the quarter\'s')
    t.equal(o.aantal, o.afspraken.length)
    t.equal(o.inbreuken, o.afspraken.filter((a: any) => a.inbreuk).length)
    t.ok(o.inbreuken >= 2, `${o.inbreuken as number} not met`)
    const row = r.samenvatting.find((x: any) => x.oordeel === 'gerapporteerd')
    t.match(row, { onderdeel: 'Overige afspraken (3.7, 6.2, 7.2, 8)', toelichting: /telt niet mee in het oordeel/ })
    const others = r.samenvatting.filter((x: any) => x.oordeel !== 'gerapporteerd').map((x: any) => x.oordeel)
    t.notOk(others.includes('niet-behaald'), 'no other part failed this quarter')
    t.equal(r.oordeel, 'onvolledig', 'the breaches do not make the quarter niet-behaald')

    const csv = await call(keys.lezer, { method: 'GET', url: `/api/v1/rapportages/${r.id as string}`, headers: { accept: 'text/csv' } })
    t.equal(csv.statusCode, 200)
    const rows: string[][] = parse(csv.body.replace(/^\uFEFF/, ''), { delimiter: ';', relax_column_count: true })
    const at = rows.findIndex((x) => x[0]?.startsWith('Overige afspraken (SLA') === true)
    t.ok(at > 0, 'a CSV section')
    t.same(rows[at + 1], ['soort', 'onderwerp', 'uiterlijk', 'vervuld op', 'status', 'dagen te laat', 'regel', 'uitleg'])
    t.ok(rows.slice(at + 2, at + 2 + o.aantal).some((x) => x[0] === 'acceptatie' && x[1] === '2026.2' && x[4] === 'te-vroeg' && x[3] === '2026-06-20 22:00'), 'times in Europe/Amsterdam')
    const pdf = await call(keys.lezer, { method: 'GET', url: `/api/v1/rapportages/${r.id as string}`, headers: { accept: 'application/pdf' } })
    t.equal(pdf.statusCode, 200)
    const text = (await pdfText(pdf.rawPayload)).text.join('\n')
    t.match(text, /Overige afspraken/)
    t.match(text, /tellen niet mee in het oordeel/)
    t.match(text, /GERAPPORTEERD/)
  })

  t.test('the same record sent five times at once is stored once (the contract row is locked)', async (t) => {
    const body = { kenmerk: 'RACE-1', opTestOp: '2026-09-01T10:00:00+02:00', toelichting: 'tegelijk' }
    const answers = await Promise.all([1, 2, 3, 4, 5].map(async () => await call(keys.leverancier, { method: 'POST', url: `/api/v1/contracten/${contract}/releases`, payload: body })))
    t.same(answers.map((a) => a.statusCode).sort(), [200, 200, 200, 200, 201])
    t.equal(new Set(answers.map((a) => a.data.id)).size, 1, 'one id')
    const rows = await handle.db.selectFrom('release').select('id').where('kenmerk', '=', 'RACE-1').execute()
    t.equal(rows.length, 1)
  })

  t.test('now is the app\'s clock when no peilmoment is given', async (t) => {
    const r = await overview(keys.lezer, '?soort=restoretest')
    const kwartalen = r.data.resultaten.map((v: any) => v.onderwerp).sort()
    t.equal(kwartalen.at(-1), '2026-Q4', `TEST_NOW ${new Date(TEST_NOW).toISOString()} lies in 2026-Q4`)
  })
})
