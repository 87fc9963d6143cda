// Issue 16: the PDF says each verdict's reason in words, and why a security incident on a test
// environment is judged at prio 4 (R-PRI-4) instead of leaving "129,4 u van 100,0 u" unexplained.
import t from 'tap'
import { oordeelInWoorden } from '../../src/http/representations/rapportage-pdf.js'
import { build, standardContract, withKeys } from '../helpers/app.js'
import { pdfText } from '../helpers/pdf.js'

t.test('the overall verdict in words names the parts that decided it', async (t) => {
  const samenvatting = [
    { onderdeel: 'Reactie- en functiehersteltijd (3.3)', oordeel: 'niet-behaald' as const, toelichting: 'norm 85,0 % per prioriteit; 3 overschrijding(en)' },
    { onderdeel: 'Beschikbaarheid (3.5)', oordeel: 'ontbreekt' as const, toelichting: '0 van 0 dienstmaanden' },
    { onderdeel: 'Restoretest (7.4)', oordeel: 'behaald' as const, toelichting: '1 uitgevoerd' }
  ]
  t.equal(oordeelInWoorden({ oordeel: 'niet-behaald', samenvatting }), 'Niet behaald, omdat: Reactie- en functiehersteltijd (3.3): niet behaald (norm 85,0 % per prioriteit; 3 overschrijding(en)).')
  t.match(oordeelInWoorden({ oordeel: 'onvolledig', samenvatting: samenvatting.slice(1) }), /^Onvolledig: .*Beschikbaarheid \(3\.5\)/)
  t.equal(oordeelInWoorden({ oordeel: 'behaald', samenvatting: samenvatting.slice(2) }), 'Behaald: elk onderdeel dat meetelt is behaald.')
})

t.test('a security incident on a test environment says why it is prio 4', async (t) => {
  const { call } = await build(t)
  const { keys, leverancierId } = await withKeys(call)
  const contract = await standardContract(call, leverancierId)
  const m = await call(keys.leverancier, { method: 'POST', url: '/api/v1/meldingen', payload: { contract, kenmerk: 'SEC-T', onderwerp: 'Lek op test', type: 'beveiligingsincident', omgeving: 'test', gemeldOp: '2026-02-10T09:30:00+01:00', beveiliging: { biv: ['vertrouwelijkheid'], major: false } } })
  t.equal(m.statusCode, 201)
  const r = await call(keys.beheerder, { method: 'POST', url: '/api/v1/rapportages', payload: { contract, periode: '2026-Q1' } })
  t.equal(r.data.beveiligingsincidenten[0].prioriteitRegel, 'R-PRI-4')
  const pdf = await call(keys.lezer, { method: 'GET', url: `/api/v1/rapportages/${r.data.id as string}`, headers: { accept: 'application/pdf' } })
  const text = (await pdfText(pdf.rawPayload)).text.join(' ').replace(/\s+/g, ' ')
  t.match(text, /prioriteit 4 \(een melding over de testomgeving heeft altijd prioriteit 4, R-PRI-4\)/)
  t.match(text, /Niet behaald, omdat: /, 'the cover says why')
})
