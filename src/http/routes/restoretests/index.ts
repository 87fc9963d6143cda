import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type, type Static } from 'typebox'
import { getContract } from '../../../adapters/db/contracten-repository.js'
import { insertRestoretestOnce, listRestoretests } from '../../../adapters/db/opgaven-repository.js'
import type { RestoretestRow } from '../../../adapters/db/schema.js'
import { formatInstant } from '../../../core/index.js'
import { invalid, ServiceError } from '../../../services/errors.js'
import { readInstant } from '../../instants.js'
import { offsetOf, setPageLinks } from '../../pagination.js'
import { Collection, PaginationQuery, problemResponses, Uuid } from '../../schemas/common.js'
import { NewRestoretestSchema, RestoretestSchema } from '../../schemas/rapportages.js'
import { CONTRACT_READERS, scopeOf } from '../contracten/index.js'

type Restoretest = Static<typeof RestoretestSchema>
const toApi = (r: RestoretestRow): Restoretest => ({
  id: r.id, contract: r.contract_id, kenmerk: r.kenmerk, uitgevoerdOp: formatInstant(r.uitgevoerd_op.getTime()), resultaat: r.resultaat as Restoretest['resultaat'],
  toelichting: r.toelichting, opvolging: r.opvolging, aangemaaktOp: formatInstant(r.aangemaakt_op.getTime())
})

/** Restore tests (SLA 7.4: at least one per quarter, with outcome and follow-up); idempotent per (contract, kenmerk). */
const restoretests: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/restoretests', {
    config: { access: ['beheerder', 'leverancier'] },
    schema: {
      tags: ['rapportages'], summary: 'Record a restore test; a repeat with the same contract and kenmerk answers 200 with the stored one',
      body: NewRestoretestSchema,
      response: { 200: Type.Ref('Restoretest'), 201: Type.Ref('Restoretest'), ...problemResponses(400, 409, 415) }
    }
  }, async (request, reply) => {
    const b = request.body
    if (await getContract(app.db, b.contract, scopeOf(request.principal)) === undefined) throw invalid([{ name: 'contract', reason: `contract ${b.contract} does not exist, or this key may not use it` }])
    const uitgevoerdOp = new Date(readInstant(b.uitgevoerdOp))
    const values = { toelichting: b.toelichting ?? '', opvolging: b.opvolging ?? '' }
    const { row, created } = await insertRestoretestOnce(app.db, { contract: b.contract, kenmerk: b.kenmerk, uitgevoerdOp, resultaat: b.resultaat, ...values, keyId: request.principal?.keyId ?? null })
    if (created) return reply.code(201).send(toApi(row))
    if (row.uitgevoerd_op.getTime() !== uitgevoerdOp.getTime() || row.resultaat !== b.resultaat || row.toelichting !== values.toelichting || row.opvolging !== values.opvolging) {
      throw new ServiceError('conflict', `restore test ${b.kenmerk} of this contract exists with other values; it is never changed`)
    }
    return reply.code(200).send(toApi(row))
  })

  app.get('/restoretests', {
    config: { access: CONTRACT_READERS },
    schema: {
      tags: ['rapportages'], summary: 'Restore tests, newest first',
      querystring: Type.Object({ ...PaginationQuery, contract: Type.Optional(Uuid) }, { additionalProperties: false }),
      response: { 200: Collection(Type.Ref('Restoretest')), ...problemResponses(400) }
    }
  }, async (request, reply) => {
    const { rows, total } = await listRestoretests(app.db, { contract: request.query.contract }, offsetOf(request.query), scopeOf(request.principal))
    setPageLinks(request, reply, request.query, total)
    return { resultaten: rows.map(toApi), aantal: total }
  })
}

export default restoretests
