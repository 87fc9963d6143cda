import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { sql } from 'kysely'
import { Type } from 'typebox'
import { getContract } from '../../../adapters/db/contracten-repository.js'
import type { GebruikersopgaveRow } from '../../../adapters/db/schema.js'
import { formatInstant } from '../../../core/index.js'
import { invalid } from '../../../services/errors.js'
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
    if (await getContract(app.db, b.contract, scopeOf(request.principal)) === undefined) throw invalid([{ name: 'contract', reason: `contract ${b.contract} does not exist, or this key may not use it` }])
    const rechten = b.rechten.map((r) => ({ recht: r.recht, gebruikers: r.gebruikers }))
    const gevolgen = b.gevolgen ?? ''
    const { row, created } = await app.db.transaction().execute(async (trx) => {
      await sql`select id from contract where id = ${b.contract} for update`.execute(trx)
      const last = await trx.selectFrom('gebruikersopgave').selectAll().where('contract_id', '=', b.contract).where('periode', '=', b.periode)
        .orderBy('opgegeven_op', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst()
      if (last !== undefined && last.gebruikers === b.gebruikers && last.gevolgen === gevolgen && JSON.stringify(last.rechten) === JSON.stringify(rechten)) return { row: last, created: false }
      const made = await trx.insertInto('gebruikersopgave').values({
        contract_id: b.contract, periode: b.periode, gebruikers: b.gebruikers, rechten: JSON.stringify(rechten), gevolgen, sleutel_id: request.principal?.keyId ?? null
      }).returningAll().executeTakeFirstOrThrow()
      return { row: made, created: true }
    })
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
    const scope = scopeOf(request.principal)
    let q = app.db.selectFrom('gebruikersopgave')
    if (scope.leverancierId !== null) q = q.where('contract_id', 'in', app.db.selectFrom('contract').select('id').where('leverancier_id', '=', scope.leverancierId))
    if (request.query.contract !== undefined) q = q.where('contract_id', '=', request.query.contract)
    if (request.query.periode !== undefined) q = q.where('periode', '=', request.query.periode)
    const { offset, limit } = offsetOf(request.query)
    const [rows, count] = await Promise.all([
      q.selectAll().orderBy('opgegeven_op', 'desc').orderBy('id', 'desc').offset(offset).limit(limit).execute(),
      q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
    ])
    setPageLinks(request, reply, request.query, Number(count.n))
    return { resultaten: rows.map(toApi), aantal: Number(count.n) }
  })
}

export default gebruikersopgaven
