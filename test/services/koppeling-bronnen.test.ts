import t from 'tap'
import { mapPrioriteit, STANDAARD_VERTALING, toolTime, vertaalJira } from '../../src/services/koppeling-bronnen.js'

t.test('tool times: TOPdesk +0000, Jira +0200, Zendesk with 9 fractional digits; never a zone-less local time', async (t) => {
  t.equal(toolTime('2024-09-02T07:12:00.000+0000'), Date.parse('2024-09-02T07:12:00Z'))
  t.equal(toolTime('2024-09-02T09:20:41.118+0200'), Date.parse('2024-09-02T07:20:41.118Z'))
  t.equal(toolTime('2026-11-30T09:00:00.123456789Z'), Date.parse('2026-11-30T09:00:00.123Z'))
  t.equal(toolTime(1796029201000), 1796029201000, 'Jira epoch milliseconds')
  t.equal(toolTime('2015-10-28T10:30:00.000'), undefined, 'no offset: refused, not read in the process time zone (INTEGRATIONS §5.1)')
  t.equal(toolTime('Today 9:20 AM'), undefined)
  t.equal(toolTime(-1), undefined)
})

t.test('priorities by id or name, any case; TOPdesk reads P1…P4 and Prioriteit 1…4 from the name', async (t) => {
  const jira = STANDAARD_VERTALING.jira
  t.equal(mapPrioriteit(jira, { id: '1', name: 'Something else' }), 1, 'by id first')
  t.equal(mapPrioriteit(jira, { name: 'lowest' }), 4)
  t.equal(mapPrioriteit(jira, { id: '10100', name: 'Blocker' }), undefined)
  t.equal(mapPrioriteit(STANDAARD_VERTALING.zendesk, 'URGENT'), 1)
  t.equal(mapPrioriteit(STANDAARD_VERTALING.zendesk, null), undefined, 'Zendesk allows no priority: unknown, not a guess')
  const td = STANDAARD_VERTALING.topdesk
  t.equal(mapPrioriteit(td, { id: 'x', name: 'P1 Zeer hoog' }), 1)
  t.equal(mapPrioriteit(td, { id: 'x', name: 'Prioriteit 4' }), 4)
  t.equal(mapPrioriteit(td, { id: 'x', name: 'P12' }), undefined, 'P12 is not P1')
  t.equal(mapPrioriteit(td, { id: 'x', name: 'Hoog' }), undefined, 'a bare word needs a mapping')
  t.equal(mapPrioriteit({ ...td, prioriteiten: [{ waarde: 'x', prioriteit: 2 }] }, { id: 'X', name: 'P1 Zeer hoog' }), 2, 'a configured id wins over the name')
})

t.test('Jira: a status to a wait that does not pause is in-behandeling; leaving a wait for an unmapped status resumes', async (t) => {
  const v = { ...STANDAARD_VERTALING.jira, statussen: { ...STANDAARD_VERTALING.jira.statussen, nietPauzerend: ['Waiting for vendor'] } }
  const msg = (items: object[]): unknown => ({ timestamp: 1796029201000, webhookEvent: 'jira:issue_updated', issue: { id: '1', key: 'A-1', fields: { created: '2026-11-30T10:00:00.000+0100', priority: { name: 'Low' } } }, changelog: { id: '9', items } })
  const a = vertaalJira(v, msg([{ field: 'status', fromString: 'In Progress', toString: 'Waiting for vendor' }]))
  t.same(a.ok ? a.events.map((e) => e.status) : a, ['in-behandeling'])
  const b = vertaalJira(v, msg([{ field: 'status', fromString: 'Waiting for customer', toString: 'Triage' }]))
  t.same(b.ok ? b.events.map((e) => e.status) : b, ['in-behandeling'])
  const c = vertaalJira(v, msg([{ field: 'status', fromString: 'Open', toString: 'Triage' }]))
  t.same(c.ok ? c.events : c, [], 'an unmapped status from an unmapped one means nothing')
  const d = vertaalJira(v, msg([{ field: 'resolution', from: '1', fromString: 'Done', to: null, toString: null }]))
  t.same(d.ok ? d.events.map((e) => [e.type, e.status]) : d, [['status', 'in-behandeling']], 'resolution cleared: reopened')
})
