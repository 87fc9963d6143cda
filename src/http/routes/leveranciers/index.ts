import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { formatInstant } from '../../../core/index.js'
import { createLeverancier, leveranciersPage, leverancierView, type LeverancierRow } from '../../../services/leveranciers.js'
import { ALL_ROLES, BEHEERDER } from '../../plugins/auth.js'
import { offsetOf, setPageLinks } from '../../pagination.js'
import { Collection, IdParams, PaginationQuery, problemResponses } from '../../schemas/common.js'
import { NewLeverancierSchema, type Leverancier } from '../../schemas/leveranciers.js'

const toLeverancier = (r: LeverancierRow): Leverancier =>
  ({ id: r.id, naam: r.naam, kvkNummer: r.kvk_nummer, aangemaaktOp: formatInstant(r.aangemaakt_op.getTime()) })

/** Suppliers. A leverancier key sees only its own leverancier; the gemeente's keys see all. */
const leveranciers: FastifyPluginAsyncTypebox = async (app) => {

  app.post('/leveranciers', {
    config: { access: BEHEERDER },
    schema: {
      tags: ['leveranciers'], summary: 'Register a supplier', body: NewLeverancierSchema,
      response: { 201: Type.Ref('Leverancier'), ...problemResponses(400, 415) }
    }
  }, async (request, reply) => {
    const row = await createLeverancier(app.db, { naam: request.body.naam, kvkNummer: request.body.kvkNummer ?? null })
    return reply.code(201).header('location', `/api/v1/leveranciers/${row.id}`).send(toLeverancier(row))
  })

  app.get('/leveranciers', {
    config: { access: ALL_ROLES.filter((r) => r !== 'monitor') },
    schema: {
      tags: ['leveranciers'], summary: 'List suppliers, by name',
      querystring: Type.Object({ ...PaginationQuery }, { additionalProperties: false }),
      response: { 200: Collection(Type.Ref('Leverancier')), ...problemResponses(400) }
    }
  }, async (request, reply) => {
    const { rows, total } = await leveranciersPage(app.db, offsetOf(request.query), request.principal)
    setPageLinks(request, reply, request.query, total)
    return { resultaten: rows.map(toLeverancier), aantal: total }
  })

  app.get('/leveranciers/:id', {
    config: { access: ALL_ROLES.filter((r) => r !== 'monitor') },
    schema: {
      tags: ['leveranciers'], summary: 'One supplier', params: IdParams,
      response: { 200: Type.Ref('Leverancier'), ...problemResponses(400, 404) }
    }
  }, async (request) => {
    return toLeverancier(await leverancierView(app.db, request.params.id, request.principal))
  })
}

export default leveranciers
