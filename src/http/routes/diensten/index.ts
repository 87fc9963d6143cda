import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { formatDuration, formatInstant, maandToApi, parseDuration, type Interval } from '../../../core/index.js'
import {
  addOnderhoud, addUitsluiting, createDienst, dienstenPage, dienstView, ingest, maand, onderhoudVan, uitsluitingenVan,
  type DienstRow, type OnderhoudRow, type UitsluitingRow
} from '../../../services/beschikbaarheid.js'
import { readInstant } from '../../instants.js'
import { BEHEERDER } from '../../plugins/auth.js'
import { offsetOf, pageOfList, setPageLinks } from '../../pagination.js'
import { problem } from '../../problem.js'
import { Collection, IdParams, PaginationQuery, problemResponses, Uuid } from '../../schemas/common.js'
import {
  BeschikbaarheidSchema, Maand, MetingenSchema, NewDienstSchema, NewOnderhoudSchema, NewUitsluitingSchema, type Dienst
} from '../../schemas/diensten.js'
import { CONTRACT_READERS, scopeOf } from '../contracten/index.js'

const dienstToApi = (r: DienstRow): Dienst => ({
  id: r.id, contract: r.contract_id, naam: r.naam, omgeving: r.omgeving,
  meetinterval: formatDuration(r.meetinterval_ms), aangemaaktOp: formatInstant(r.aangemaakt_op.getTime())
})
const uitsluitingToApi = (r: UitsluitingRow) => ({
  id: r.id, dienst: r.dienst_id, van: formatInstant(r.van.getTime()), tot: formatInstant(r.tot.getTime()),
  reden: r.reden as 'verzoek-gemeente', toelichting: r.toelichting, aangemaaktOp: formatInstant(r.aangemaakt_op.getTime())
})
const onderhoudToApi = (r: OnderhoudRow) => ({
  id: r.id, dienst: r.dienst_id, van: formatInstant(r.van.getTime()), tot: formatInstant(r.tot.getTime()),
  soort: r.soort as 'onderhoud', omgeving: r.omgeving as 'productie', toelichting: r.toelichting, aangemaaktOp: formatInstant(r.aangemaakt_op.getTime())
})
const periode = (i: Interval) => ({ van: formatInstant(i.start), tot: formatInstant(i.end) })


/** Monitored services, their samples, exclusions and maintenance, and the monthly result (R-BES). */
const diensten: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/diensten', {
    config: { access: BEHEERDER },
    schema: {
      tags: ['diensten'], summary: 'Register a monitored service of a contract', body: NewDienstSchema,
      response: { 201: Type.Ref('Dienst'), ...problemResponses(400, 415) }
    }
  }, async (request, reply) => {
    const b = request.body
    const meetintervalMs = b.meetinterval === undefined ? 60_000 : parseDuration(b.meetinterval, 'meetinterval')
    const row = await createDienst(app.db, { contract: b.contract, naam: b.naam, omgeving: b.omgeving ?? 'productie', meetintervalMs }, request.principal?.keyId ?? null)
    return reply.code(201).header('location', `/api/v1/diensten/${row.id}`).send(dienstToApi(row))
  })

  app.get('/diensten', {
    config: { access: CONTRACT_READERS },
    schema: {
      tags: ['diensten'], summary: 'List monitored services, by name',
      querystring: Type.Object({ ...PaginationQuery, contract: Type.Optional(Uuid) }, { additionalProperties: false }),
      response: { 200: Collection(Type.Ref('Dienst')), ...problemResponses(400) }
    }
  }, async (request, reply) => {
    const { rows, total } = await dienstenPage(app.db, offsetOf(request.query), scopeOf(request.principal), request.query.contract)
    setPageLinks(request, reply, request.query, total)
    return { resultaten: rows.map(dienstToApi), aantal: total }
  })

  app.get('/diensten/:id', {
    config: { access: CONTRACT_READERS },
    schema: { tags: ['diensten'], summary: 'One monitored service', params: IdParams, response: { 200: Type.Ref('Dienst'), ...problemResponses(400, 404) } }
  }, async (request) => {
    return dienstToApi(await dienstView(app.db, request.params.id, scopeOf(request.principal)))
  })

  app.post('/diensten/:id/metingen', {
    config: { access: ['beheerder', 'monitor'] },
    bodyLimit: 4 * 1_048_576,
    schema: {
      tags: ['diensten'],
      summary: 'Push a batch of samples: late, out of order, overlapping and repeated samples are each counted once',
      description: 'The batch is validated as a whole: one bad sample gives a 400 naming its index and field, and nothing is stored. A monitor key writes only its own diensten.',
      params: IdParams, body: MetingenSchema,
      response: { 200: Type.Object({ ontvangen: Type.Integer(), nieuw: Type.Integer({ description: 'samples not seen before' }) }), ...problemResponses(400, 404, 413, 415) }
    }
  }, async (request) => {
    const p = request.principal
    if (p?.rol === 'monitor' && !p.diensten.includes(request.params.id)) throw problem(403, 'this monitor key may write samples only of its own diensten')
    const samples = request.body.map((s) => ({ op: readInstant(s.op), beschikbaar: s.beschikbaar, responstijdMs: s.responstijdMs }))
    return await ingest(app.db, request.params.id, samples, { leverancierId: null }, app.clock())
  })

  app.post('/diensten/:id/uitsluitingen', {
    config: { access: BEHEERDER },
    schema: {
      tags: ['diensten'], summary: 'Record an exclusion window (R-BES-3): only the gemeente may', params: IdParams, body: NewUitsluitingSchema,
      response: { 201: Type.Ref('Uitsluiting'), ...problemResponses(400, 404, 415) }
    }
  }, async (request, reply) => {
    const b = request.body
    const row = await addUitsluiting(app.db, request.params.id, { van: readInstant(b.van), tot: readInstant(b.tot), reden: b.reden, toelichting: b.toelichting ?? '' }, request.principal?.keyId ?? null)
    return reply.code(201).send(uitsluitingToApi(row))
  })

  app.get('/diensten/:id/uitsluitingen', {
    config: { access: CONTRACT_READERS },
    schema: { tags: ['diensten'], summary: 'The exclusion windows of a dienst', params: IdParams, querystring: Type.Object({ ...PaginationQuery }, { additionalProperties: false }), response: { 200: Collection(Type.Ref('Uitsluiting')), ...problemResponses(400, 404) } }
  }, async (request, reply) => {
    const rows = await uitsluitingenVan(app.db, request.params.id, scopeOf(request.principal))
    return pageOfList(request, reply, request.query, rows, uitsluitingToApi)
  })

  app.post('/diensten/:id/onderhoud', {
    config: { access: ['beheerder', 'leverancier'] },
    schema: {
      tags: ['diensten'], summary: 'Record planned maintenance or an upgrade (R-BES-6): it is not excluded, its downtime counts', params: IdParams, body: NewOnderhoudSchema,
      response: { 201: Type.Ref('Onderhoud'), ...problemResponses(400, 404, 415) }
    }
  }, async (request, reply) => {
    const b = request.body
    const row = await addOnderhoud(app.db, request.params.id, { van: readInstant(b.van), tot: readInstant(b.tot), soort: b.soort, omgeving: b.omgeving, toelichting: b.toelichting ?? '' }, scopeOf(request.principal), request.principal?.keyId ?? null)
    return reply.code(201).send(onderhoudToApi(row))
  })

  app.get('/diensten/:id/onderhoud', {
    config: { access: CONTRACT_READERS },
    schema: { tags: ['diensten'], summary: 'The planned maintenance of a dienst', params: IdParams, querystring: Type.Object({ ...PaginationQuery }, { additionalProperties: false }), response: { 200: Collection(Type.Ref('Onderhoud')), ...problemResponses(400, 404) } }
  }, async (request, reply) => {
    const rows = await onderhoudVan(app.db, request.params.id, scopeOf(request.principal))
    return pageOfList(request, reply, request.query, rows, onderhoudToApi)
  })

  app.get('/diensten/:id/beschikbaarheid', {
    config: { access: CONTRACT_READERS },
    schema: {
      tags: ['diensten'], summary: 'The month of a dienst (R-BES): availability, coverage, verdict, response times, maintenance',
      params: IdParams,
      querystring: Type.Object({
        maand: Maand,
        uitleg: Type.Optional(Type.Boolean({ default: false }))
      }, { additionalProperties: false }),
      response: { 200: BeschikbaarheidSchema, ...problemResponses(400, 404) }
    }
  }, async (request) => {
    const { result: r, dienst } = await maand(app.db, request.params.id, request.query.maand, scopeOf(request.principal))
    return {
      dienst: dienst.id,
      ...maandToApi(r),
      ...(request.query.uitleg === true
        ? { uitleg: r.dagen.map((d) => ({ datum: d.datum, venster: periode(d.venster), onbeschikbaar: d.onbeschikbaar.map(periode), onbekend: d.onbekend.map(periode), uitgesloten: d.uitgesloten.map(periode) })) }
        : {})
    }
  })
}

export default diensten
