// Quarterly reports through the API (SLA 3.8, SLA-RULES §10): numbers equal a recomputation from
// the stored inputs through the other endpoints, a second generation is a new versie with the same
// numbers and hash, CSV parses back, the PDF holds the verdicts, access per leverancier.
import t from 'tap'
import { parse } from 'csv-parse/sync'
import { sql } from 'kysely'
import { BOOTSTRAP, build, standardContract, withKeys } from '../helpers/app.js'
import { pdfText } from '../helpers/pdf.js'
import { meldingenTot } from '../../src/adapters/db/rapportage-repository.js'

const MIN = 60_000
const Q1_START = Date.parse('2026-01-01T00:00:00+01:00')
const Q1_END = Date.parse('2026-04-01T00:00:00+02:00')
const NOW = Date.parse('2026-04-20T10:00:00+02:00')

t.test('rapportages', async (t) => {
  let now = NOW
  const { call, handle } = await build(t, { clock: () => now })
  const { keys, leverancierId, otherLeverancierId } = await withKeys(call)
  const contract = await standardContract(call, leverancierId)
  const otherContract = await standardContract(call, otherLeverancierId)
  let n = 0
  const melding = async (body: Record<string, unknown>) => {
    const r = await call(keys.leverancier, { method: 'POST', url: '/api/v1/meldingen', payload: { contract, kenmerk: `INC-${++n}`, onderwerp: `Melding ${n}`, type: 'verstoring', ...body } })
    if (r.statusCode !== 201) throw new Error(`${r.statusCode} ${r.body}`)
    return r.data.id as string
  }
  const events = async (id: string, body: unknown) => {
    const r = await call(keys.leverancier, { method: 'POST', url: `/api/v1/meldingen/${id}/gebeurtenissen`, payload: body as object })
    if (r.statusCode !== 201 && r.statusCode !== 200) throw new Error(`${r.statusCode} ${r.body}`)
  }
  const generate = async (key = keys.lezer, body: object = { contract, periode: '2026-Q1' }) =>
    await call(key, { method: 'POST', url: '/api/v1/rapportages', payload: body })

  // A quarter of meldingen: E1 within norm, one never answered, E10's missed update, a reopening,
  // a priority change, one in the test omgeving, a security incident, one decided after the quarter.
  const e1 = await melding({ prioriteit: 2, gemeldOp: '2026-03-10T09:30:00+01:00' })
  await events(e1, [{ type: 'reactie', op: '2026-03-10T10:00:00+01:00' }, { type: 'status', status: 'opgelost', op: '2026-03-11T10:00:00+01:00' }])
  const silent = await melding({ prioriteit: 3, gemeldOp: '2026-02-02T09:00:00+01:00' })
  const e10 = await melding({ prioriteit: 1, gemeldOp: '2026-03-02T09:00:00+01:00' })
  await events(e10, [
    { type: 'voortgang', op: '2026-03-02T09:50:00+01:00' }, { type: 'voortgang', op: '2026-03-02T11:05:00+01:00' },
    { type: 'voortgang', op: '2026-03-02T12:00:00+01:00' }, { type: 'status', status: 'opgelost', op: '2026-03-02T13:00:00+01:00' }
  ])
  const reopened = await melding({ prioriteit: 3, gemeldOp: '2026-01-12T09:00:00+01:00' })
  await events(reopened, [
    { type: 'reactie', op: '2026-01-12T09:30:00+01:00' }, { type: 'status', status: 'opgelost', op: '2026-01-13T09:00:00+01:00' },
    { type: 'status', status: 'in-behandeling', op: '2026-01-14T12:00:00+01:00' }, { type: 'status', status: 'opgelost', op: '2026-01-30T10:00:00+01:00' }
  ])
  const changed = await melding({ prioriteit: 4, gemeldOp: '2026-02-16T10:00:00+01:00' })
  await events(changed, [
    { type: 'prioriteit', prioriteit: 2, toelichting: 'meer gebruikers geraakt', op: '2026-02-16T11:00:00+01:00' },
    { type: 'reactie', op: '2026-02-16T11:30:00+01:00' }, { type: 'status', status: 'opgelost', op: '2026-02-17T09:00:00+01:00' }
  ])
  await melding({ prioriteit: 1, omgeving: 'test', gemeldOp: '2026-03-16T10:00:00+01:00' })
  const lateEnd = await melding({ prioriteit: 3, gemeldOp: '2026-03-31T15:00:00+02:00' })
  await events(lateEnd, [{ type: 'reactie', op: '2026-03-31T15:30:00+02:00' }, { type: 'status', status: 'opgelost', op: '2026-04-02T10:00:00+02:00' }])
  const security = await melding({ type: 'beveiligingsincident', onderwerp: 'Datalek: export zichtbaar voor verkeerde afdeling', gemeldOp: '2026-02-03T10:00:00+01:00', beveiliging: { biv: ['vertrouwelijkheid', 'integriteit'], major: true } })
  await events(security, [
    { type: 'reactie', op: '2026-02-03T10:20:00+01:00', toelichting: 'export-URL ingetrokken, CISO gebeld' },
    { type: 'status', status: 'opgelost', op: '2026-02-03T13:00:00+01:00' },
    { type: 'maatregel', op: '2026-02-10T09:00:00+01:00', toelichting: 'autorisatiecontrole op exports toegevoegd' }
  ])
  // A melding of another leverancier's contract: never in this report.
  await call(keys.otherLeverancier, { method: 'POST', url: '/api/v1/meldingen', payload: { contract: otherContract, kenmerk: 'X-1', onderwerp: 'ander', type: 'verstoring', prioriteit: 2, gemeldOp: '2026-02-02T09:00:00+01:00' } })

  // Two diensten with 5-minute samples over the quarter: an outage in February, an upgrade in office hours in March.
  const dienst = async (naam: string) => (await call(BOOTSTRAP, { method: 'POST', url: '/api/v1/diensten', payload: { contract, naam, meetinterval: 'PT5M' } })).data.id as string
  const portal = await dienst('Burgerportaal')
  const zaak = await dienst('Zaaksysteem')
  const outage = Date.parse('2026-02-10T08:00:00+01:00')
  for (const [id, down] of [[portal, 900], [zaak, 0]] as const) {
    const samples = []
    for (let x = Q1_START - 60 * MIN; x < Q1_END + 60 * MIN; x += 5 * MIN) {
      samples.push({ op: new Date(x).toISOString(), beschikbaar: !(x >= outage && x < outage + down * MIN), responstijdMs: 150 + (x / MIN) % 97 })
    }
    for (let i = 0; i < samples.length; i += 10_000) t.equal((await call(BOOTSTRAP, { method: 'POST', url: `/api/v1/diensten/${id}/metingen`, payload: samples.slice(i, i + 10_000) })).statusCode, 200)
  }
  await call(BOOTSTRAP, { method: 'POST', url: `/api/v1/diensten/${zaak}/onderhoud`, payload: { van: '2026-03-18T10:00:00+01:00', tot: '2026-03-18T15:00:00+01:00', soort: 'upgrade', omgeving: 'productie' } })

  t.test('users and restore tests are reported idempotently', async (t) => {
    const opgave = { contract, periode: '2026-Q1', gebruikers: 212, rechten: [{ recht: 'behandelaar', gebruikers: 180 }, { recht: 'beheerder', gebruikers: 4 }] }
    t.equal((await call(keys.leverancier, { method: 'POST', url: '/api/v1/gebruikersopgaven', payload: { ...opgave, gebruikers: 200 } })).statusCode, 201)
    t.equal((await call(keys.leverancier, { method: 'POST', url: '/api/v1/gebruikersopgaven', payload: opgave })).statusCode, 201, 'a correction is a new opgave')
    t.equal((await call(keys.leverancier, { method: 'POST', url: '/api/v1/gebruikersopgaven', payload: opgave })).statusCode, 200, 'the same again adds nothing')
    t.equal((await call(keys.otherLeverancier, { method: 'POST', url: '/api/v1/gebruikersopgaven', payload: opgave })).statusCode, 400, 'not for another leverancier\'s contract')
    t.equal((await call(keys.lezer, { method: 'POST', url: '/api/v1/gebruikersopgaven', payload: opgave })).statusCode, 403)
    t.equal((await call(keys.lezer, { method: 'GET', url: `/api/v1/gebruikersopgaven?contract=${contract}` })).data.aantal, 2)
    t.equal((await call(keys.otherLeverancier, { method: 'GET', url: '/api/v1/gebruikersopgaven' })).data.aantal, 0)

    const test = { contract, kenmerk: 'RT-2026-02', uitgevoerdOp: '2026-02-20T14:00:00+01:00', resultaat: 'geslaagd', toelichting: 'volledige restore naar acceptatie', opvolging: 'geen' }
    t.equal((await call(keys.leverancier, { method: 'POST', url: '/api/v1/restoretests', payload: test })).statusCode, 201)
    t.equal((await call(keys.leverancier, { method: 'POST', url: '/api/v1/restoretests', payload: test })).statusCode, 200)
    const conflict = await call(keys.leverancier, { method: 'POST', url: '/api/v1/restoretests', payload: { ...test, resultaat: 'mislukt' } })
    t.equal(conflict.statusCode, 409)
    t.match(conflict.headers['content-type'], /^application\/problem\+json/)
    const bad = await call(keys.leverancier, { method: 'POST', url: '/api/v1/restoretests', payload: { ...test, kenmerk: 'x', uitgevoerdOp: 'gisteren', resultaat: 'prima' } })
    t.equal(bad.statusCode, 400)
    t.same(bad.data.invalidParams.map((p: { name: string }) => p.name).sort(), ['resultaat', 'uitgevoerdOp'])
  })

  let first: any
  t.test('a report\'s numbers equal a recomputation from the stored inputs (R-KPI-1…3, R-PRI-4, R-PRI-5, R-COM-2, R-BES-4…7)', async (t) => {
    const r = await generate()
    t.equal(r.statusCode, 201)
    t.equal(r.headers.location, `/api/v1/rapportages/${r.data.id}`)
    first = r.data
    t.match(first, { contract, periode: '2026-Q1', versie: 1, voorlopig: false, leverancier: { id: leverancierId, naam: 'Acme BV' }, gegenereerdOp: new Date(NOW).toISOString().replace('.000', '') })

    // KPI: recompute from every melding's sla block, as the meldingen endpoint gives it now.
    const list = (await call(keys.lezer, { method: 'GET', url: `/api/v1/meldingen?contract=${contract}&pageSize=500` })).data.resultaten
    t.equal(list.length, 8)
    for (const p of [1, 2, 3, 4]) {
      for (const klok of ['reactie', 'functieherstel'] as const) {
        const decided = list.filter((m: any) => m.prioriteit === p && ['behaald', 'verlopen'].includes(m.sla[klok].status) &&
          Date.parse(m.sla[klok].beslistOp) >= Q1_START && Date.parse(m.sla[klok].beslistOp) < Q1_END)
        const cell = first.kpi.perPrioriteit.find((x: any) => x.prioriteit === p)[klok]
        if (p === 1 && klok === 'reactie') { t.equal(cell, null, 'prio 1 has no reactie KPI'); continue }
        const within = decided.filter((m: any) => m.sla[klok].status === 'behaald').map((m: any) => m.id).sort()
        t.same({ beslist: cell.beslist, binnen: cell.meldingenBinnenNorm }, { beslist: decided.length, binnen: within }, `P${p} ${klok}`)
        t.equal(cell.aandeel, decided.length === 0 ? null : within.length / decided.length)
      }
    }
    const cellOf = (p: number, klok: string) => first.kpi.perPrioriteit.find((x: any) => x.prioriteit === p)[klok]
    t.ok(cellOf(2, 'reactie').meldingenBinnenNorm.includes(e1), 'E1 reacted within norm')
    t.ok(cellOf(2, 'functieherstel').meldingenBinnenNorm.includes(changed), 'a priority change counts at the final priority (R-PRI-5)')
    t.ok(cellOf(3, 'reactie').meldingenBuitenNorm.includes(silent), 'never answered: verlopen at its deadline')
    t.ok(cellOf(4, 'functieherstel').meldingenBinnenNorm.length + cellOf(4, 'functieherstel').meldingenBuitenNorm.length >= 0)
    t.notOk(JSON.stringify(first.kpi.perPrioriteit).includes(lateEnd) && cellOf(3, 'functieherstel').meldingenBinnenNorm.includes(lateEnd), 'resolved after the quarter: not decided in it')
    t.ok(cellOf(3, 'reactie').meldingenBinnenNorm.includes(lateEnd), 'but its reaction on 31 March is')
    t.equal(first.oordeel, 'niet-behaald')
    t.ok(first.overschrijdingen.some((o: any) => o.melding === silent && o.klok === 'reactie'))
    const missed = list.flatMap((m: any) => m.sla.voortgang.gemistOp.filter((x: string) => Date.parse(x) >= Q1_START && Date.parse(x) < Q1_END))
    t.equal(first.voortgang.gemist, missed.length, 'missed updates: those due in the quarter (R-COM-2)')
    t.match(first.voortgang.perMelding.find((v: any) => v.melding === e10), { gemist: 1, gemistOp: ['2026-03-02T09:50:00Z'] }, 'E10: the update due at 10:50 (09:50 UTC) was missed')
    t.equal(first.meldingen.aantal, 8)
    t.equal(first.meldingen.perTypeEnPrioriteit.find((x: any) => x.type === 'verstoring' && x.prioriteit === 4).aantal, 1, 'the test omgeving melding is prio 4 (R-PRI-4)')

    // Availability: equal to the monthly endpoint, dienst by dienst.
    t.equal(first.beschikbaarheid.length, 6)
    for (const row of first.beschikbaarheid) {
      const m = (await call(keys.lezer, { method: 'GET', url: `/api/v1/diensten/${row.dienst}/beschikbaarheid?maand=${row.maand}` })).data
      t.same(
        { b: row.beschikbaarheid, d: row.dekking, o: row.oordeel, on: row.onbeschikbaar, r: row.responstijd, n: row.onderhoudInVenster.length },
        { b: m.beschikbaarheid, d: m.dekking, o: m.oordeel, on: m.onbeschikbaar, r: m.responstijd, n: m.onderhoudInVenster.length }, `${row.dienstNaam} ${row.maand}`)
    }
    t.equal(first.beschikbaarheid.find((b: any) => b.dienstNaam === 'Burgerportaal' && b.maand === '2026-02').oordeel, 'niet-behaald', '900 minutes down in February')
    t.same(first.beschikbaarheid.find((b: any) => b.dienstNaam === 'Zaaksysteem' && b.maand === '2026-03').onderhoudInVenster[0].overtredingen, ['langer-dan-4-uur', 'binnen-kantooruren'])

    t.match(first.beveiligingsincidenten, [{
      melding: security, wat: 'Datalek: export zichtbaar voor verkeerde afdeling', biv: ['vertrouwelijkheid', 'integriteit'], major: true, prioriteit: 1,
      respons: { op: '2026-02-03T09:20:00Z', toelichting: 'export-URL ingetrokken, CISO gebeld' }, opgelostOp: '2026-02-03T12:00:00Z',
      functieherstel: { status: 'behaald', verbruikt: 'PT3H' }, maatregelen: [{ op: '2026-02-10T08:00:00Z', toelichting: 'autorisatiecontrole op exports toegevoegd' }]
    }])
    t.match(first.gebruikers, { gebruikers: 212, rechten: [{ recht: 'behandelaar', gebruikers: 180 }, { recht: 'beheerder', gebruikers: 4 }] })
    t.match(first.restoretests, { aantal: 1, oordeel: 'behaald', tests: [{ kenmerk: 'RT-2026-02' }] })
    t.match(first.herkomst, { softwareVersie: /^\d+\.\d+\.\d+/, normen: [{ versie: 1 }], invoerHash: /^[0-9a-f]{64}$/, aantallen: { meldingen: 8, diensten: 2, restoretests: 1 } })
  })

  t.test('a second generation is a new versie with the same numbers and hash; the first never changes', async (t) => {
    now = NOW + 86_400_000
    const again = (await generate(keys.beheerder)).data
    t.equal(again.versie, 2)
    t.not(again.id, first.id)
    const strip = (d: any) => ({ ...d, id: null, versie: null, gegenereerdOp: null, herkomst: { ...d.herkomst, peilmoment: null } })
    t.same(strip(again), strip(first))
    t.equal(again.herkomst.invoerHash, first.herkomst.invoerHash)
    const stored = await call(keys.lezer, { method: 'GET', url: `/api/v1/rapportages/${first.id}` })
    t.same(stored.data, first, 'versie 1 reads back exactly as made')
    await events(silent, { type: 'reactie', op: '2026-04-21T09:00:00+02:00', kenmerk: 'late' })
    const third = (await generate()).data
    t.equal(third.versie, 3)
    t.not(third.herkomst.invoerHash, first.herkomst.invoerHash, 'other inputs, another hash')
    const listed = await call(keys.lezer, { method: 'GET', url: `/api/v1/rapportages?contract=${contract}&periode=2026-Q1` })
    t.same(listed.data.resultaten.map((x: any) => x.versie), [3, 2, 1])
    await t.rejects(sql`delete from rapportage`.execute(handle.db), /never/i)
    await t.rejects(sql`update rapportage set inhoud = '{}'`.execute(handle.db), /never change/i)
  })

  t.test('concurrent generations get consecutive versies', async (t) => {
    const made = await Promise.all([1, 2, 3, 4].map(async () => await generate(keys.lezer, { contract, periode: '2026-Q1' })))
    t.same(made.map((r) => r.statusCode), [201, 201, 201, 201])
    t.same(made.map((r) => r.data.versie).sort((a: number, b: number) => a - b), [4, 5, 6, 7])
    t.equal(new Set(made.map((r) => r.data.herkomst.invoerHash)).size, 1, 'same inputs, same hash')
  })

  t.test('CSV for Dutch Excel parses back with ; and decimal commas', async (t) => {
    const r = await call(keys.lezer, { method: 'GET', url: `/api/v1/rapportages/${first.id}`, headers: { accept: 'text/csv' } })
    t.equal(r.statusCode, 200)
    t.match(r.headers['content-type'], /^text\/csv; charset=utf-8/)
    t.equal(r.body.charCodeAt(0), 0xfeff, 'UTF-8 with BOM')
    t.ok(r.body.includes('\r\n'))
    const rows: string[][] = parse(r.body.slice(1), { delimiter: ';', relax_column_count: true })
    const section = (name: string): string[][] => {
      const start = rows.findIndex((x) => x.length === 1 && x[0] === name)
      t.ok(start >= 0, `section ${name}`)
      const end = rows.findIndex((x, i) => i > start && x.length === 1 && x[0] === '')
      return rows.slice(start + 2, end)
    }
    const dec = (s: string): number => Number(s.replace(',', '.'))
    const kpi = section('KPI per prioriteit')
    for (const cell of first.kpi.perPrioriteit) {
      const row = kpi.find((x) => x[0] === String(cell.prioriteit) && x[1] === 'functieherstel') as string[]
      t.equal(Number(row[2]), cell.functieherstel.beslist)
      if (cell.functieherstel.aandeel !== null) {
        t.notOk((row[4] as string).includes('.'), 'decimal comma')
        t.equal(dec(row[4] as string), cell.functieherstel.aandeel)
      }
    }
    const b = section('Beschikbaarheid en performance')
    t.equal(b.length, first.beschikbaarheid.length)
    for (const row of b) {
      const json = first.beschikbaarheid.find((x: any) => x.dienstNaam === row[0] && x.maand === row[3])
      t.equal(dec(row[4] as string), json.beschikbaarheid)
      t.equal(row[7], json.oordeel)
    }
    t.same(section('Samenvatting').map((x) => x[1]), first.samenvatting.map((s: any) => s.oordeel))
    t.equal(section('Beveiligingsincidenten')[0]?.[2], 'Datalek: export zichtbaar voor verkeerde afdeling')
    t.equal(section('Herkomst').find((x) => x[0] === 'invoer-hash (SHA-256)')?.[1], first.herkomst.invoerHash)
  })

  t.test('the PDF is valid and shows the verdicts', async (t) => {
    const r = await call(keys.lezer, { method: 'GET', url: `/api/v1/rapportages/${first.id}`, headers: { accept: 'application/pdf' } })
    t.equal(r.statusCode, 200)
    t.equal(r.headers['content-type'], 'application/pdf')
    const bytes = r.rawPayload
    t.equal(bytes.subarray(0, 5).toString(), '%PDF-')
    const { pages, text } = await pdfText(bytes)
    t.ok(pages >= 4, `${pages} pages`)
    t.ok(text.every((p, i) => p.includes(`pagina ${i + 1} van ${pages}`) && p.length > 300), 'numbered pages, none holding only its footer')
    t.ok(text[0]?.includes('Kwartaalrapportage 2026-Q1'), 'cover title')
    t.ok(text[0]?.includes('Zaaksysteem') && text[0].includes('Acme BV'), 'contract and leverancier on the cover')
    t.ok(text[0]?.includes('NIET BEHAALD'), 'the overall verdict on the cover')
    const all = text.join('\n')
    for (const s of first.samenvatting) t.ok(all.includes(s.onderdeel), `verdict row ${s.onderdeel}`)
    t.ok(all.includes('Datalek: export zichtbaar voor verkeerde afdeling'), 'security incidents')
    t.ok(all.includes(first.herkomst.invoerHash), 'provenance')
    t.ok(all.includes('Aandeel binnen norm per prioriteit') && all.includes('Beschikbaarheid per dienst per maand'), 'the charts, as vectors with text')
    const again = await call(keys.lezer, { method: 'GET', url: `/api/v1/rapportages/${first.id}`, headers: { accept: 'application/pdf' } })
    t.ok(again.rawPayload.equals(bytes), 'the same report renders to the same bytes')
    const refused = await call(keys.lezer, { method: 'GET', url: `/api/v1/rapportages/${first.id}`, headers: { accept: 'image/png' } })
    t.equal(refused.statusCode, 406)
  })

  t.test('access: gemeente keys all, a leverancier key its own contracts only', async (t) => {
    t.equal((await generate(keys.leverancier)).statusCode, 201)
    const other = await generate(keys.otherLeverancier)
    t.equal(other.statusCode, 400)
    t.same(other.data.invalidParams.map((p: { name: string }) => p.name), ['contract'])
    t.equal((await call(keys.otherLeverancier, { method: 'GET', url: `/api/v1/rapportages/${first.id}` })).statusCode, 404)
    t.equal((await call(keys.otherLeverancier, { method: 'GET', url: '/api/v1/rapportages' })).data.aantal, 0)
    t.equal((await call(keys.leverancier, { method: 'GET', url: `/api/v1/rapportages/${first.id}` })).statusCode, 200)
    t.equal((await generate(keys.monitor)).statusCode, 403)
    t.equal((await call(null, { method: 'GET', url: '/api/v1/rapportages' })).statusCode, 401)
  })

  t.test('bad input names the field and stores nothing', async (t) => {
    const before = await sql<{ n: number }>`select count(*)::int as n from rapportage`.execute(handle.db)
    const r = await generate(keys.lezer, { contract, periode: '2026-Q5' })
    t.equal(r.statusCode, 400)
    t.same(r.data.invalidParams.map((p: { name: string }) => p.name), ['periode'])
    t.equal((await generate(keys.lezer, { contract: '6f1c1f0e-2c3b-4a51-9d1e-0b6a7e1c2d3f', periode: '2026-Q1' })).statusCode, 400)
    const future = await generate(keys.lezer, { contract, periode: '2027-Q1' })
    t.equal(future.statusCode, 400)
    t.match(future.data.invalidParams, [{ name: 'periode', reason: /not begun/ }])
    const after = await sql<{ n: number }>`select count(*)::int as n from rapportage`.execute(handle.db)
    t.equal(after.rows[0]?.n, before.rows[0]?.n)
    const wrongType = await call(keys.leverancier, { method: 'POST', url: '/api/v1/meldingen', payload: { contract, kenmerk: 'B-1', onderwerp: 'x', type: 'vraag', gemeldOp: '2026-03-10T09:30:00+01:00', beveiliging: { biv: ['integriteit'], major: false } } })
    t.equal(wrongType.statusCode, 400)
    t.same(wrongType.data.invalidParams.map((p: { name: string }) => p.name), ['beveiliging'])
  })

  t.test('event texts with separators and escapes read back intact', async (t) => {
    const odd = 'TOP|desk "7" \\ 8\n9 é'
    await events(security, { type: 'opmerking', op: '2026-02-03T11:00:00+01:00', kenmerk: odd, toelichting: 'regel 1\nregel 2 | "quote"' })
    const { rows } = await meldingenTot(handle.db, contract, new Date(Q1_START), new Date(Q1_END))
    const e = rows.find((m) => m.id === security)?.events.find((x) => x.kenmerk === odd)
    t.ok(e !== undefined, 'kenmerk intact')
    t.equal(e?.toelichting, 'regel 1\nregel 2 | "quote"')
    t.same(rows.find((m) => m.id === security)?.events.map((x) => x.op), [...(rows.find((m) => m.id === security)?.events.map((x) => x.op) ?? [])].sort((a, b) => a - b), 'events in time order')
  })

  t.test('a quarter still running gives a voorlopig report (R-KPI-1: clocks not yet decided count later)', async (t) => {
    now = Date.parse('2026-05-15T12:00:00+02:00')
    const r = await generate(keys.lezer, { contract, periode: '2026-Q2' })
    t.equal(r.statusCode, 201)
    t.equal(r.data.voorlopig, true)
    t.equal(r.data.restoretests.oordeel, 'niet-behaald', 'no restore test yet')
    t.equal(r.data.gebruikers, null)
    // Nothing decided and no samples: still a readable PDF and CSV.
    const pdf = await call(keys.lezer, { method: 'GET', url: `/api/v1/rapportages/${r.data.id as string}`, headers: { accept: 'application/pdf' } })
    t.equal(pdf.statusCode, 200)
    const { text } = await pdfText(pdf.rawPayload)
    t.ok(text[0]?.includes('VOORLOPIG') && text[0].includes('NIET BEHAALD'), 'marked voorlopig, with its verdict')
    const csv = await call(keys.lezer, { method: 'GET', url: `/api/v1/rapportages/${r.data.id as string}`, headers: { accept: 'text/csv' } })
    t.equal(csv.statusCode, 200)
    t.ok(csv.body.includes('voorlopig;ja'))
  })
})
