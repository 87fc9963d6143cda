import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { formatInstant } from '../../../core/index.js'
import { gebruikersopgavenPage, reportUsers, type GebruikersopgaveRow } from '../../../services/opgaven.js'
import { offsetOf, setPageLinks } from '../../pagination.js'
import { Collection, PaginationQuery, problemResponses, Uuid } from '../../schemas/common.js'
import { Kwartaal, NewGebruikersopgaveSchema } from '../../schemas/rapportages.js'
import { CONTRACT_READERS, scopeOf } from '../contracten/index.js'

const toApi = (r: GebruikersopgaveRow) => ({
  id: r.id, contract: r.contract_id, periode: r.periode, gebruikers: r.gebruikers, rechten: r.rechten, gevolgen: r.gevolgen, opgegevenOp: formatInstant(r.opgegeven_op.getTime())
})

/**
 * The users and rights a supplier reports per quarter (SLA 3.8). A report is never changed: a
 * new one for the same quarter is added, and the quarterly report uses the last. Sending the
 * same as the last again adds nothing (200 with the stored one).
 */
const gebruikersopgaven: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/gebruikersopgaven', {
    config: { access: ['beheerder', 'leverancier'] },
    schema: {
      tags: ['rapportages'], summary: 'Report the users and rights of a quarter; the last report of a quarter counts',
      body: NewGebruikersopgaveSchema,
      response: { 200: Type.Ref('Gebruikersopgave'), 201: Type.Ref('Gebruikersopgave'), ...problemResponses(400, 415) }
    }
  }, async (request, reply) => {
    const b = request.body
    const { row, created } = await reportUsers(app.db, {
      contract: b.contract, periode: b.periode, gebruikers: b.gebruikers, rechten: b.rechten.map((r) => ({ recht: r.recht, gebruikers: r.gebruikers })),
      gevolgen: b.gevolgen ?? ''
    }, scopeOf(request.principal), request.principal?.keyId ?? null)
    return reply.code(created ? 201 : 200).send(toApi(row))
  })

  app.get('/gebruikersopgaven', {
    config: { access: CONTRACT_READERS },
    schema: {
      tags: ['rapportages'], summary: 'The users and rights reported, newest first',
      querystring: Type.Object({ ...PaginationQuery, contract: Type.Optional(Uuid), periode: Type.Optional(Kwartaal) }, { additionalProperties: false }),
      response: { 200: Collection(Type.Ref('Gebruikersopgave')), ...problemResponses(400) }
    }
  }, async (request, reply) => {
    const { rows, total } = await gebruikersopgavenPage(app.db, { contract: request.query.contract, periode: request.query.periode }, offsetOf(request.query), scopeOf(request.principal))
    setPageLinks(request, reply, request.query, total)
    return { resultaten: rows.map(toApi), aantal: total }
  })
}

export default gebruikersopgaven
