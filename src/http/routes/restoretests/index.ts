import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type, type Static } from 'typebox'
import { formatInstant } from '../../../core/index.js'
import { recordRestoretest, restoretestsPage, type RestoretestRow } from '../../../services/opgaven.js'
import { readInstant } from '../../instants.js'
import { offsetOf, setPageLinks } from '../../pagination.js'
import { Collection, PaginationQuery, problemResponses, Uuid } from '../../schemas/common.js'
import { NewRestoretestSchema, RestoretestSchema } from '../../schemas/rapportages.js'
import { CONTRACT_READERS, scopeOf } from '../contracten/index.js'

type Restoretest = Static<typeof RestoretestSchema>
const toApi = (r: RestoretestRow): Restoretest => ({
  id: r.id, contract: r.contract_id, kenmerk: r.kenmerk, uitgevoerdOp: formatInstant(r.uitgevoerd_op.getTime()), resultaat: r.resultaat,
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
    const { row, created } = await recordRestoretest(app.db, {
      contract: b.contract, kenmerk: b.kenmerk, uitgevoerdOp: readInstant(b.uitgevoerdOp), resultaat: b.resultaat, toelichting: b.toelichting ?? '', opvolging: b.opvolging ?? ''
    }, scopeOf(request.principal), request.principal?.keyId ?? null)
    return reply.code(created ? 201 : 200).send(toApi(row))
  })

  app.get('/restoretests', {
    config: { access: CONTRACT_READERS },
    schema: {
      tags: ['rapportages'], summary: 'Restore tests, newest first',
      querystring: Type.Object({ ...PaginationQuery, contract: Type.Optional(Uuid) }, { additionalProperties: false }),
      response: { 200: Collection(Type.Ref('Restoretest')), ...problemResponses(400) }
    }
  }, async (request, reply) => {
    const { rows, total } = await restoretestsPage(app.db, { contract: request.query.contract }, offsetOf(request.query), scopeOf(request.principal))
    setPageLinks(request, reply, request.query, total)
    return { resultaten: rows.map(toApi), aantal: total }
  })
}

export default restoretests
