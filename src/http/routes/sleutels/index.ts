import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { formatInstant } from '../../../core/index.js'
import { createKey, keysPage, keyView, revoke, type SleutelRow } from '../../../services/sleutels.js'
import { BEHEERDER } from '../../plugins/auth.js'
import { offsetOf, setPageLinks } from '../../pagination.js'
import { Collection, IdParams, PaginationQuery, problemResponses } from '../../schemas/common.js'
import { CreatedSleutelSchema, NewSleutelSchema, type Sleutel } from '../../schemas/sleutels.js'

const toSleutel = (r: SleutelRow): Sleutel => ({
  id: r.id,
  rol: r.rol,
  leverancier: r.leverancier_id,
  diensten: r.diensten,
  omschrijving: r.omschrijving,
  prefix: r.prefix,
  aangemaaktOp: formatInstant(r.aangemaakt_op.getTime()),
  ingetrokkenOp: r.ingetrokken_op === null ? null : formatInstant(r.ingetrokken_op.getTime())
})

/** API keys: beheerder only. The secret is answered once, at creation; only its hash is stored. */
const sleutels: FastifyPluginAsyncTypebox = async (app) => {

  app.post('/sleutels', {
    config: { access: BEHEERDER },
    schema: {
      tags: ['sleutels'], summary: 'Make a key; the answer holds the secret, this once',
      body: NewSleutelSchema,
      response: { 201: CreatedSleutelSchema, ...problemResponses(400, 415) }
    }
  }, async (request, reply) => {
    const { rol, leverancier, diensten = [], omschrijving = '' } = request.body
    const { row, secret } = await createKey(app.db, { rol, leverancier, diensten, omschrijving }, request.principal?.keyId ?? null)
    request.log.info({ keyId: row.id, rol }, 'key created')
    return reply.code(201).header('location', `/api/v1/sleutels/${row.id}`).send({ ...toSleutel(row), sleutel: secret })
  })

  app.get('/sleutels', {
    config: { access: BEHEERDER },
    schema: {
      tags: ['sleutels'], summary: 'List keys (never their secrets), oldest first',
      querystring: Type.Object({ ...PaginationQuery }, { additionalProperties: false }),
      response: { 200: Collection(Type.Ref('Sleutel')), ...problemResponses(400) }
    }
  }, async (request, reply) => {
    const { rows, total } = await keysPage(app.db, offsetOf(request.query))
    setPageLinks(request, reply, request.query, total)
    return { resultaten: rows.map(toSleutel), aantal: total }
  })

  app.get('/sleutels/:id', {
    config: { access: BEHEERDER },
    schema: {
      tags: ['sleutels'], summary: 'One key (never its secret)', params: IdParams,
      response: { 200: Type.Ref('Sleutel'), ...problemResponses(400, 404) }
    }
  }, async (request) => {
    return toSleutel(await keyView(app.db, request.params.id))
  })

  app.delete('/sleutels/:id', {
    config: { access: BEHEERDER },
    schema: {
      tags: ['sleutels'], summary: 'Revoke a key: it stops working at once, and stays listed with ingetrokkenOp',
      params: IdParams,
      response: { 204: Type.Null({ description: 'Revoked (also when it already was)' }), ...problemResponses(400, 404, 409) }
    }
  }, async (request, reply) => {
    const row = await revoke(app.db, request.params.id, request.principal?.keyId)
    request.log.info({ keyId: row.id }, 'key revoked')
    return reply.code(204).send(null)
  })
}

export default sleutels
