import { createHmac } from 'node:crypto'
import { BOOTSTRAP, TEST_NOW, type TestApp } from './app.js'

/** Helpers of the koppelingen tests (issue 12): signing as each tool does, delivering, reading back. */

export const json = { 'content-type': 'application/json' }

export const sign = {
  jira: (geheim: string, body: string, id: string): Record<string, string> => ({
    ...json, 'x-hub-signature': `sha256=${createHmac('sha256', geheim).update(body).digest('hex')}`, 'x-atlassian-webhook-identifier': id
  }),
  zendesk: (geheim: string, body: string, at = new Date(TEST_NOW).toISOString()): Record<string, string> => ({
    ...json, 'x-zendesk-webhook-signature-timestamp': at, 'x-zendesk-webhook-signature': createHmac('sha256', geheim).update(at + body).digest('base64')
  }),
  topdesk: (geheim: string): Record<string, string> => ({ ...json, authorization: `Bearer ${geheim}` })
}

export async function koppeling (call: TestApp['call'], contract: string, bron: string, extra: object = {}): Promise<{ id: string, geheim: string }> {
  const r = await call(BOOTSTRAP, { method: 'POST', url: '/api/v1/koppelingen', payload: { contract, bron, naam: `${bron} test`, ...extra } })
  if (r.statusCode !== 201) throw new Error(`koppeling: ${r.statusCode} ${r.body}`)
  return { id: r.data.id, geheim: r.data.geheim }
}

export async function deliver (call: TestApp['call'], id: string, body: string, headers: Record<string, string>): Promise<{ statusCode: number, data: any, headers: Record<string, unknown> }> {
  return await call(null, { method: 'POST', url: `/api/v1/koppelingen/${id}/berichten`, payload: body, headers })
}

/** The events of the contract's meldingen, comparable across runs (ids left out). */
export async function eventsOf (h: TestApp['handle'], contract: string): Promise<string[]> {
  const rows = await h.db.selectFrom('gebeurtenis').innerJoin('melding', 'melding.id', 'gebeurtenis.melding_id')
    .select(['melding.kenmerk as melding', 'gebeurtenis.kenmerk', 'gebeurtenis.type', 'gebeurtenis.op', 'gebeurtenis.status', 'gebeurtenis.prioriteit', 'gebeurtenis.sluitreden'])
    .where('melding.contract_id', '=', contract).execute()
  return rows.map((r) => `${r.melding} ${r.kenmerk ?? ''} ${r.type} ${r.op.toISOString()} ${r.status ?? ''} ${r.prioriteit ?? ''} ${r.sluitreden ?? ''}`).sort()
}

export async function meldingenOf (h: TestApp['handle'], contract: string): Promise<string[]> {
  const rows = await h.db.selectFrom('melding').selectAll().where('contract_id', '=', contract).execute()
  return rows.map((r) => `${r.kenmerk} ${r.onderwerp} ${r.gemeld_op.toISOString()} ${r.gevraagde_prioriteit ?? ''} ${r.type} ${r.omgeving}`).sort()
}

export const count = async (h: TestApp['handle'], table: 'bericht' | 'melding' | 'gebeurtenis'): Promise<number> =>
  Number((await h.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n)

