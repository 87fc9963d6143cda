import t from 'tap'
import { build, withKeys } from '../helpers/app.js'

t.test('contracten', async (t) => {
  const { call } = await build(t)
  const { keys, leverancierId } = await withKeys(call)

  t.test('without norms a contract gets the standard SLA (SLA-RULES §4)', async (t) => {
    const r = await call(keys.beheerder, { method: 'POST', url: '/api/v1/contracten', payload: { leverancier: leverancierId, naam: 'Zaaksysteem' } })
    t.equal(r.statusCode, 201)
    t.match(r.data, { naam: 'Zaaksysteem', prestatienorm: 0.85, beschikbaarheidsnorm: 0.98, automatischSluitenNa: 'PT100H', geldigVanaf: '1970-01-01', extraGeslotenDagen: [] })
    t.same(r.data.normen, [
      { prioriteit: 1, reactietijd: null, functiehersteltijd: 'PT4H', voortgang: 'PT1H', kalender: 'kantooruren' },
      { prioriteit: 2, reactietijd: 'PT1H', functiehersteltijd: 'PT20H', voortgang: 'PT8H', kalender: 'kantooruren' },
      { prioriteit: 3, reactietijd: 'PT4H', functiehersteltijd: 'PT50H', voortgang: null, kalender: 'kantooruren' },
      { prioriteit: 4, reactietijd: 'PT8H', functiehersteltijd: 'PT100H', voortgang: null, kalender: 'kantooruren' }
    ])
    t.equal(r.data.versies.length, 1)
  })

  t.test('bad norms name every field', async (t) => {
    const r = await call(keys.beheerder, {
      method: 'POST', url: '/api/v1/contracten', payload: {
        leverancier: leverancierId, naam: 'X', prestatienorm: 1.5,
        normen: [1, 2, 3, 3].map((p) => ({ prioriteit: p, reactietijd: 'P1D', functiehersteltijd: 'PT1H', voortgang: null, kalender: 'kantooruren' }))
      }
    })
    t.equal(r.statusCode, 400)
    t.same(r.data.invalidParams.map((p: { name: string }) => p.name).sort(), ['normen[0].reactietijd', 'normen[1].reactietijd', 'normen[2].reactietijd', 'normen[3].reactietijd', 'prestatienorm'])
    const dup = await call(keys.beheerder, {
      method: 'POST', url: '/api/v1/contracten', payload: {
        leverancier: leverancierId, naam: 'X', normen: [1, 2, 3, 3].map((p) => ({ prioriteit: p, reactietijd: 'PT1H', functiehersteltijd: 'PT1H', voortgang: null, kalender: 'kantooruren' }))
      }
    })
    t.match(dup.data.invalidParams, [{ name: 'normen', reason: /exactly one norm for each prioriteit/ }])
  })

  t.test('a change of norms is a new version from a date; meldingen keep the norms of their gemeldOp', async (t) => {
    const c = await call(keys.beheerder, { method: 'POST', url: '/api/v1/contracten', payload: { leverancier: leverancierId, naam: 'Versies' } })
    const id = c.data.id
    const before = await call(keys.leverancier, { method: 'POST', url: '/api/v1/meldingen', payload: { contract: id, kenmerk: 'V-1', onderwerp: 'x', type: 'verstoring', prioriteit: 2, gemeldOp: '2026-03-10T09:30:00+01:00' } })
    const noDate = await call(keys.beheerder, { method: 'PATCH', url: `/api/v1/contracten/${id}`, payload: { prestatienorm: 0.9 } })
    t.same(noDate.data.invalidParams.map((p: { name: string }) => p.name), ['geldigVanaf'])
    const normen = [1, 2, 3, 4].map((p) => ({ prioriteit: p, reactietijd: p === 1 ? null : 'PT2H', functiehersteltijd: 'PT40H', voortgang: null, kalender: 'kantooruren' }))
    const patched = await call(keys.beheerder, { method: 'PATCH', url: `/api/v1/contracten/${id}`, payload: { geldigVanaf: '2026-04-01', normen, naam: 'Versies (2026)' } })
    t.equal(patched.statusCode, 200)
    t.equal(patched.data.naam, 'Versies (2026)')
    t.same(patched.data.versies.map((v: { versie: number, geldigVanaf: string }) => [v.versie, v.geldigVanaf]), [[1, '1970-01-01'], [2, '2026-04-01']])
    t.equal(patched.data.versies[0].normen[1].functiehersteltijd, 'PT20H', 'the first version is unchanged')
    const after = await call(keys.leverancier, { method: 'POST', url: '/api/v1/meldingen', payload: { contract: id, kenmerk: 'V-2', onderwerp: 'x', type: 'verstoring', prioriteit: 2, gemeldOp: '2026-04-01T09:30:00+02:00' } })
    t.match(after.data, { voorwaardenVersie: 2, sla: { functieherstel: { norm: 'PT40H' }, reactie: { norm: 'PT2H' } } })
    const old = await call(keys.lezer, { method: 'GET', url: `/api/v1/meldingen/${before.data.id}` })
    t.match(old.data, { voorwaardenVersie: 1, sla: { functieherstel: { norm: 'PT20H' } } })
    const again = await call(keys.beheerder, { method: 'PATCH', url: `/api/v1/contracten/${id}`, payload: { geldigVanaf: '2026-04-01', prestatienorm: 0.9 } })
    t.equal(again.statusCode, 409, 'a version never changes')
  })

  t.test('extra closed days of a contract move its deadlines (R-CAL-2)', async (t) => {
    const c = await call(keys.beheerder, { method: 'POST', url: '/api/v1/contracten', payload: { leverancier: leverancierId, naam: 'Gesloten', extraGeslotenDagen: [{ datum: '2026-03-11', naam: 'Verhuizing' }] } })
    const m = await call(keys.leverancier, { method: 'POST', url: '/api/v1/meldingen', payload: { contract: c.data.id, kenmerk: 'G-1', onderwerp: 'x', type: 'verstoring', prioriteit: 2, gemeldOp: '2026-03-10T17:00:00+01:00' } })
    t.equal(m.data.sla.functieherstel.deadline, '2026-03-13T16:00:00Z', '20 werkuren skipping Wednesday 11 March')
  })

  t.test('access: a leverancier reads only its own contracts and writes none', async (t) => {
    t.equal((await call(keys.leverancier, { method: 'POST', url: '/api/v1/contracten', payload: { leverancier: leverancierId, naam: 'X' } })).statusCode, 403)
    const list = await call(keys.leverancier, { method: 'GET', url: '/api/v1/contracten?pageSize=500' })
    t.ok(list.data.resultaten.length > 0)
    t.ok(list.data.resultaten.every((c: { leverancier: string }) => c.leverancier === leverancierId))
    t.equal((await call(keys.monitor, { method: 'GET', url: '/api/v1/contracten' })).statusCode, 403)
  })
})
