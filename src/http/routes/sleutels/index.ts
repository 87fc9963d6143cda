import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { getLeverancier } from '../../../adapters/db/leveranciers-repository.js'
import type { SleutelRow } from '../../../adapters/db/schema.js'
import { getKey, insertKey, listKeys, revokeKey } from '../../../adapters/db/sleutels-repository.js'
import { generateApiKey } from '../../../adapters/security/api-keys.js'
import { formatInstant } from '../../../core/index.js'
import { BEHEERDER } from '../../plugins/auth.js'
import { offsetOf, setPageLinks } from '../../pagination.js'
import { notFound, problem } from '../../problem.js'
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
    const invalid = []
    if (rol === 'leverancier' && leverancier === undefined) invalid.push({ name: 'leverancier', reason: 'is required for a leverancier key' })
    if (rol !== 'leverancier' && leverancier !== undefined) invalid.push({ name: 'leverancier', reason: 'is only for a leverancier key' })
    if (rol === 'monitor' && diensten.length === 0) invalid.push({ name: 'diensten', reason: 'a monitor key needs at least one dienst' })
    if (rol !== 'monitor' && diensten.length > 0) invalid.push({ name: 'diensten', reason: 'is only for a monitor key' })
    if (invalid.length === 0 && leverancier !== undefined && await getLeverancier(app.db, leverancier) === undefined) {
      invalid.push({ name: 'leverancier', reason: `leverancier ${leverancier} does not exist` })
    }
    if (invalid.length > 0) throw problem(400, `${invalid.length} invalid ${invalid.length === 1 ? 'field' : 'fields'}: ${invalid.map((i) => i.name).join(', ')}`, invalid)
    const secret = generateApiKey()
    const row = await insertKey(app.db, secret, { rol, leverancierId: leverancier ?? null, diensten, omschrijving, aangemaaktDoor: request.principal?.keyId ?? null })
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
    const { rows, total } = await listKeys(app.db, offsetOf(request.query))
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
    const row = await getKey(app.db, request.params.id)
    if (row === undefined) throw notFound(`sleutel ${request.params.id}`)
    return toSleutel(row)
  })

  app.delete('/sleutels/:id', {
    config: { access: BEHEERDER },
    schema: {
      tags: ['sleutels'], summary: 'Revoke a key: it stops working at once, and stays listed with ingetrokkenOp',
      params: IdParams,
      response: { 204: Type.Null({ description: 'Revoked (also when it already was)' }), ...problemResponses(400, 404, 409) }
    }
  }, async (request, reply) => {
    if (request.principal?.keyId === request.params.id) throw problem(409, 'a key cannot revoke itself: use another beheerder key, so that one always remains')
    const row = await revokeKey(app.db, request.params.id)
    if (row === undefined) throw notFound(`sleutel ${request.params.id}`)
    request.log.info({ keyId: row.id }, 'key revoked')
    return reply.code(204).send(null)
  })
}

export default sleutels
