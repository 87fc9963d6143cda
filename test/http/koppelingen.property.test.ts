import fc from 'fast-check'
import t from 'tap'
import { BOOTSTRAP, build, standardContract, withKeys, type TestApp } from '../helpers/app.js'
import { deliver, eventsOf, koppeling, meldingenOf, sign } from '../helpers/koppelingen.js'

/**
 * Issue 12: the tools drop, repeat and reorder deliveries. Any order and any repeat of a ticket's
 * deliveries gives the same melding and the same events as the deliveries once, in order.
 *
 * What this covers, and what it cannot: every Jira message describes its own change (changelog),
 * and TOPdesk's reaction, completion and close carry their own dates, so those are independent of
 * the order of arrival. What a tool sends no time for (the end of a TOPdesk hold, a Zendesk
 * status change, a priority change seen only in a snapshot) is dated by the snapshot that shows
 * it, so its time depends on which snapshots arrived; the example tests cover those.
 */

type Delivery = { body: string, headers: (geheim: string) => Record<string, string> }

/** A permutation of all deliveries with some of them repeated at random places. */
const arrival = (n: number) => fc.tuple(
  fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }),
  fc.array(fc.tuple(fc.nat({ max: n - 1 }), fc.nat({ max: 2 * n })), { maxLength: n })
).map(([perm, repeats]) => {
  const out = [...perm]
  for (const [which, at] of repeats) out.splice(at % (out.length + 1), 0, which)
  return out
})

const STATUSES = ['Open', 'In Progress', 'Waiting for customer', 'Resolved', 'Closed'] as const
const STATUS_ID: Record<string, string> = { Open: '1', 'In Progress': '3', 'Waiting for customer': '10010', Resolved: '5', Closed: '6' }

/** A Jira ticket life: created, then a walk over statuses (resolution set on Resolved, cleared when left). */
const jiraLife = fc.tuple(fc.array(fc.constantFrom(...STATUSES), { minLength: 1, maxLength: 6 }), fc.constantFrom('Highest', 'High', 'Medium', 'Low'))
  .map(([walk, priority]): Delivery[] => {
    const created = Date.parse('2026-11-30T09:00:00Z')
    const issue = { id: '31337', key: 'ZS-9', fields: { summary: 'Koppeling', created: '2026-11-30T10:00:00.000+0100', priority: { name: priority } } }
    const out: Delivery[] = []
    const createdBody = JSON.stringify({ timestamp: created + 1000, webhookEvent: 'jira:issue_created', issue })
    out.push({ body: createdBody, headers: (g) => sign.jira(g, createdBody, 'c') })
    let from = 'Open'
    walk.forEach((to, i) => {
      if (to === from) return
      const items: object[] = [{ field: 'status', from: STATUS_ID[from], fromString: from, to: STATUS_ID[to], toString: to }]
      if (to === 'Resolved') items.push({ field: 'resolution', from: null, fromString: null, to: '10000', toString: 'Done' })
      if (from === 'Resolved' && to !== 'Closed') items.push({ field: 'resolution', from: '10000', fromString: 'Done', to: null, toString: null })
      const body = JSON.stringify({ timestamp: created + (i + 1) * 1_800_000, webhookEvent: 'jira:issue_updated', issue, changelog: { id: String(7000 + i), items } })
      out.push({ body, headers: (g) => sign.jira(g, body, `u${i}`) })
      from = to
    })
    return out
  })

/** A TOPdesk incident's snapshots over a monotone life: registered, responded, completed, closed (each optional). */
const topdeskLife = fc.record({ responded: fc.boolean(), completed: fc.boolean(), closed: fc.boolean(), skip: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }) })
  .map(({ responded, completed, closed, skip }): Delivery[] => {
    const at = (h: number): string => `2026-11-30T${String(8 + h).padStart(2, '0')}:00:00.000+0000`
    const base = { id: '0f0e0d0c-0b0a-4908-8706-050403020100', number: 'I 2611 001', briefDescription: 'Traag', callDate: at(0), priority: { id: 'x', name: 'Prioriteit 3' }, responded: false, onHold: false, completed: false, closed: false }
    const states: object[] = [{ ...base, modificationDate: at(0) }]
    let s: object = base
    if (responded) states.push(s = { ...s, responded: true, responseDate: at(1), modificationDate: at(1) })
    if (completed) states.push(s = { ...s, completed: true, completedDate: at(2), modificationDate: at(2) })
    if (completed && closed) states.push({ ...s, closed: true, closedDate: at(3), modificationDate: at(3) })
    // Some pushes may be lost, never all of them.
    const kept = states.filter((_, i) => !(skip[i] ?? false))
    return (kept.length > 0 ? kept : states.slice(-1)).map((x) => {
      const body = JSON.stringify(x)
      return { body, headers: (g: string) => sign.topdesk(g) }
    })
  })

const ZD_STATUSES = ['open', 'pending', 'hold', 'solved'] as const

/** A Zendesk ticket life: created (new), then a walk over statuses, each change its own status_changed event. */
const zendeskLife = fc.tuple(fc.array(fc.constantFrom(...ZD_STATUSES), { minLength: 1, maxLength: 6 }), fc.constantFrom('urgent', 'high', 'normal', 'low'))
  .map(([walk, priority]): Delivery[] => {
    const at = (i: number): string => new Date(Date.parse('2026-11-30T08:00:00Z') + i * 1_800_000).toISOString()
    const msg = (id: string, type: string, i: number, status: string, event: object): string => JSON.stringify({
      type: `zen:event-type:ticket.${type}`, id, time: at(i), subject: 'zen:ticket:4242',
      detail: { id: '4242', created_at: at(0), subject: 'Eigenschap', type: 'INCIDENT', status: status.toUpperCase(), priority: priority.toUpperCase() }, event
    })
    const out: string[] = [msg('zc', 'created', 0, 'new', {})]
    let from = 'new'
    walk.forEach((to, i) => {
      if (to === from) return
      out.push(msg(`zs${i}`, 'status_changed', i + 1, to, { previous: from.toUpperCase(), current: to.toUpperCase() }))
      from = to
    })
    return out.map((body) => ({ body, headers: (g: string) => sign.zendesk(g, body) }))
  })

/** The clocks of the contract's one melding at a moment after the life: what the SLA is judged by. */
async function clocksOf (call: TestApp['call'], contract: string): Promise<string> {
  const r = await call(BOOTSTRAP, { method: 'GET', url: `/api/v1/meldingen?contract=${contract}&peilmoment=2026-12-01T09:00:00Z` })
  return JSON.stringify(r.data.resultaten.map((m: any) => [m.status, m.prioriteit, m.sla]))
}

async function outcome (call: TestApp['call'], handle: TestApp['handle'], leverancierId: string, bron: string, deliveries: Delivery[], order: number[]): Promise<{ meldingen: string[], events: string[], clocks: string }> {
  const contract = await standardContract(call, leverancierId)
  const k = await koppeling(call, contract, bron)
  for (const i of order) {
    const d = deliveries[i] as Delivery
    const r = await deliver(call, k.id, d.body, d.headers(k.geheim))
    if (r.statusCode !== 200 || r.data.resultaat === 'fout') throw new Error(`delivery ${i}: ${r.statusCode} ${JSON.stringify(r.data)}`)
  }
  return { meldingen: await meldingenOf(handle, contract), events: await eventsOf(handle, contract), clocks: await clocksOf(call, contract) }
}

t.test('any order and any repeat of a ticket\'s deliveries gives the same melding and events', async (t) => {
  const { handle, call } = await build(t)
  const { leverancierId } = await withKeys(call)

  for (const [bron, life] of [['jira', jiraLife], ['topdesk', topdeskLife]] as const) {
    let runs = 0
    let events = 0
    await fc.assert(fc.asyncProperty(life.chain((ds) => fc.tuple(fc.constant(ds), arrival(ds.length))), async ([deliveries, order]) => {
      runs++
      const once = await outcome(call, handle, leverancierId, bron, deliveries, deliveries.map((_, i) => i))
      const shuffled = await outcome(call, handle, leverancierId, bron, deliveries, order)
      events += once.events.length
      if (once.meldingen.length !== 1) throw new Error(`expected one melding, got ${JSON.stringify(once.meldingen)}`)
      if (JSON.stringify(shuffled) !== JSON.stringify(once)) throw new Error(`order ${JSON.stringify(order)}:\n${JSON.stringify(shuffled, null, 1)}\n!=\n${JSON.stringify(once, null, 1)}`)
    }), { numRuns: 15, seed: 20261130 })
    t.equal(runs, 15, `${bron}: 15 lives, each in order and shuffled with repeats`)
    t.ok(events > 15, `${bron}: the lives had events to get right (${events})`)
  }
})

t.test('Zendesk: any order and any repeat gives the same melding and the same clocks; in order with repeats, the same events', async (t) => {
  const { handle, call } = await build(t)
  const { leverancierId } = await withKeys(call)
  let runs = 0
  let reordered = 0
  await fc.assert(fc.asyncProperty(zendeskLife.chain((ds) => fc.tuple(fc.constant(ds), arrival(ds.length))), async ([deliveries, order]) => {
    runs++
    const once = await outcome(call, handle, leverancierId, 'zendesk', deliveries, deliveries.map((_, i) => i))
    const shuffled = await outcome(call, handle, leverancierId, 'zendesk', deliveries, order)
    if (once.meldingen.length !== 1) throw new Error(`expected one melding, got ${JSON.stringify(once.meldingen)}`)
    if (shuffled.clocks !== once.clocks || JSON.stringify(shuffled.meldingen) !== JSON.stringify(once.meldingen)) {
      throw new Error(`order ${JSON.stringify(order)}:\n${shuffled.clocks}\n!=\n${once.clocks}\n${JSON.stringify(shuffled.events, null, 1)}`)
    }
    // Without reordering (only repeats) nothing is reconstructed: exactly the same events.
    const firsts = order.filter((x, i) => order.indexOf(x) === i)
    if (firsts.every((x, i) => x === i)) {
      if (JSON.stringify(shuffled.events) !== JSON.stringify(once.events)) throw new Error(`repeats changed the events: ${JSON.stringify(order)}`)
    } else {
      reordered++
      // Every reconstructed change is named after the message that showed it.
      for (const e of shuffled.events.filter((x) => !once.events.includes(x))) if (!e.includes(':tussen:')) throw new Error(`unexpected event ${e}`)
    }
  }), { numRuns: 25, seed: 20261130 })
  t.equal(runs, 25, '25 lives, each in order and shuffled with repeats')
  t.ok(reordered > 10, `most were reordered (${reordered})`)
})
