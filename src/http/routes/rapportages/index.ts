import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import accepts from 'accepts'
import { Type } from 'typebox'
import { formatInstant } from '../../../core/index.js'
import { genereerRapportage, rapportagesPage, rapportageView, type RapportageRow, type RapportDocument } from '../../../services/rapportages.js'
import { offsetOf, setPageLinks } from '../../pagination.js'
import { rapportageCsv } from '../../representations/rapportage-csv.js'
import { rapportagePdf } from '../../representations/rapportage-pdf.js'
import { Collection, IdParams, PaginationQuery, problemResponses, Uuid } from '../../schemas/common.js'
import { Kwartaal, NewRapportageSchema } from '../../schemas/rapportages.js'
import { CONTRACT_READERS, scopeOf } from '../contracten/index.js'

const FORMATS = ['application/json', 'text/csv', 'application/pdf'] as const

const itemToApi = (r: Omit<RapportageRow, 'inhoud'>) => ({
  id: r.id, contract: r.contract_id, periode: r.periode, versie: r.versie, gegenereerdOp: formatInstant(r.gegenereerd_op.getTime()),
  gegenereerdDoor: r.gegenereerd_door, invoerHash: r.invoer_hash
})

/**
 * Quarterly reports (SLA 3.8, SLA-RULES §10): generated from the service's own data, stored as
 * made and never changed; generating again makes a new versie. Read as JSON, CSV or PDF.
 */
const rapportages: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/rapportages', {
    config: { access: CONTRACT_READERS },
    schema: {
      tags: ['rapportages'],
      summary: 'Generate the quarterly report of a contract: a new versie each time',
      description: 'A leverancier key may generate reports of its own contracts only. The answer is the stored JSON; read it as CSV or PDF at its Location.',
      body: NewRapportageSchema,
      response: { 201: Type.Ref('Rapportage'), ...problemResponses(400, 415) }
    }
  }, async (request, reply) => {
    const { id, inhoud } = await genereerRapportage(app.db, request.body.contract, request.body.periode, scopeOf(request.principal), request.principal?.keyId ?? null, app.clock())
    return reply.code(201).header('location', `/api/v1/rapportages/${id}`).type('application/json; charset=utf-8').send(inhoud)
  })

  app.get('/rapportages', {
    config: { access: CONTRACT_READERS },
    schema: {
      tags: ['rapportages'], summary: 'List generated reports, newest first',
      querystring: Type.Object({ ...PaginationQuery, contract: Type.Optional(Uuid), periode: Type.Optional(Kwartaal) }, { additionalProperties: false }),
      response: { 200: Collection(Type.Ref('RapportageItem')), ...problemResponses(400) }
    }
  }, async (request, reply) => {
    const { rows, total } = await rapportagesPage(app.db, { contract: request.query.contract, periode: request.query.periode }, offsetOf(request.query), scopeOf(request.principal))
    setPageLinks(request, reply, request.query, total)
    return { resultaten: rows.map(itemToApi), aantal: total }
  })

  app.get('/rapportages/:id', {
    config: { access: CONTRACT_READERS, produces: FORMATS },
    schema: {
      tags: ['rapportages'],
      summary: 'One report as it was made: JSON, CSV (Dutch Excel: `;`, decimal comma, UTF-8 with BOM) or an A4 PDF with charts, by Accept',
      params: IdParams,
      response: {
        200: {
          description: 'the report',
          content: {
            'application/json': { schema: Type.Ref('Rapportage') },
            'text/csv': { schema: Type.String({ description: 'one section per table, times in Europe/Amsterdam' }) },
            'application/pdf': { schema: Type.String({ format: 'binary' }) }
          }
        },
        ...problemResponses(400, 404, 406)
      }
    }
  }, async (request, reply) => {
    const row = await rapportageView(app.db, request.params.id, scopeOf(request.principal))
    const type = accepts(request.raw).type([...FORMATS]) as (typeof FORMATS)[number]
    const name = `rapportage-${row.periode}-v${row.versie}`
    if (type === 'text/csv') {
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`).send(rapportageCsv(JSON.parse(row.inhoud) as RapportDocument))
    }
    if (type === 'application/pdf') {
      return reply.type('application/pdf').header('content-disposition', `inline; filename="${name}.pdf"`).send(await rapportagePdf(JSON.parse(row.inhoud) as RapportDocument))
    }
    return reply.type('application/json; charset=utf-8').send(row.inhoud)
  })
}

export default rapportages
