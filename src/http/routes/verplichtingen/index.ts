import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import {
  alleVerplichtingen, contractVerplichtingen, documentenPage, exitMijlpalenPage, overleggenPage, recordDocument, recordExit, recordOverleg, recordRelease, releasesPage
} from '../../../services/verplichtingen.js'
import { readInstant, readOptionalInstant } from '../../instants.js'
import { offsetOf, setPageLinks } from '../../pagination.js'
import { documentToApi, exitToApi, overlegToApi, releaseToApi, verplichtingToApi } from '../../representations/verplichtingen.js'
import { Collection, IdParams, PaginationQuery, problemResponses } from '../../schemas/common.js'
import { NewDocumentSchema, NewExitSchema, NewOverlegSchema, NewReleaseSchema, VerplichtingenQuery } from '../../schemas/verplichtingen.js'
import { CONTRACT_READERS, scopeOf } from '../contracten/index.js'

const WRITERS = ['beheerder', 'leverancier'] as const
const PageQuery = Type.Object({ ...PaginationQuery }, { additionalProperties: false })
const writeResponses = (ref: string) => ({ 200: { ...Type.Ref(ref), description: 'the same record existed: nothing added' }, 201: { ...Type.Ref(ref), description: 'recorded' }, ...problemResponses(400, 404, 415) })

/**
 * The SLA's other obligations (issue 15, SLA-RULES §12): append-only records under a contract
 * (a later record about the same overleg, release or exit corrects or completes an earlier one;
 * the same record again adds nothing and answers 200), and the obligations computed from them.
 * A leverancier key sees and writes only its own contracts; another's is a 404, as the contract.
 */
const verplichtingen: FastifyPluginAsyncTypebox = async (app) => {
  const keyOf = (p: { keyId: string } | null | undefined): string | null => p?.keyId ?? null

  app.post('/contracten/:id/overleggen', {
    config: { access: WRITERS },
    schema: {
      tags: ['verplichtingen'], summary: 'Record an overleg (6.2), or its verslag\'s arrival as a later record with the same niveau and datum', params: IdParams, body: NewOverlegSchema,
      response: writeResponses('Overleg')
    }
  }, async (request, reply) => {
    const b = request.body
    const { row, created } = await recordOverleg(app.db, request.params.id, { ...b, verslagOntvangenOp: readOptionalInstant(b.verslagOntvangenOp) }, scopeOf(request.principal), keyOf(request.principal))
    return reply.code(created ? 201 : 200).send(overlegToApi(row))
  })

  app.post('/contracten/:id/releases', {
    config: { access: WRITERS },
    schema: {
      tags: ['verplichtingen'], summary: 'Record a fact about a release or patch (3.7): on test, accepted or rejected (gemeente only), on production',
      description: 'Later facts about the same kenmerk are new records; per field the last one counts. R-VPL-2: silently accepted 21 days after opTestOp unless accepted or rejected earlier; on production before acceptance is a breach.',
      params: IdParams, body: NewReleaseSchema, response: writeResponses('Release')
    }
  }, async (request, reply) => {
    const b = request.body
    const { row, created } = await recordRelease(app.db, request.params.id, {
      ...b,
      opTestOp: readOptionalInstant(b.opTestOp),
      geaccepteerdOp: readOptionalInstant(b.geaccepteerdOp),
      afgekeurdOp: readOptionalInstant(b.afgekeurdOp),
      inProductieVan: readOptionalInstant(b.inProductieVan),
      inProductieTot: readOptionalInstant(b.inProductieTot)
    }, scopeOf(request.principal), keyOf(request.principal))
    return reply.code(created ? 201 : 200).send(releaseToApi(row))
  })

  app.post('/contracten/:id/documenten', {
    config: { access: WRITERS },
    schema: {
      tags: ['verplichtingen'], summary: 'Record a document received: upgradebeleid (3.7, with jaar), Third Party Mededeling (7.2, with type and period), ISO 27001 certificate (with geldigTot)',
      params: IdParams, body: NewDocumentSchema, response: writeResponses('Document')
    }
  }, async (request, reply) => {
    const b = request.body
    const { row, created } = await recordDocument(app.db, request.params.id, { ...b, ontvangenOp: readInstant(b.ontvangenOp) }, scopeOf(request.principal), keyOf(request.principal))
    return reply.code(created ? 201 : 200).send(documentToApi(row))
  })

  app.post('/contracten/:id/exit', {
    config: { access: WRITERS },
    schema: {
      tags: ['verplichtingen'], summary: 'Record exit milestones (8): the end date, the bridging request and the confirmed data transfer (gemeente only), the declaration of destruction',
      params: IdParams, body: NewExitSchema, response: writeResponses('ExitMijlpaal')
    }
  }, async (request, reply) => {
    const b = request.body
    const { row, created } = await recordExit(app.db, request.params.id, {
      ...b,
      overbruggingAangevraagdOp: readOptionalInstant(b.overbruggingAangevraagdOp),
      overdrachtBevestigdOp: readOptionalInstant(b.overdrachtBevestigdOp),
      vernietigingsverklaringOp: readOptionalInstant(b.vernietigingsverklaringOp)
    }, scopeOf(request.principal), keyOf(request.principal))
    return reply.code(created ? 201 : 200).send(exitToApi(row))
  })

  const list = (path: string, ref: string, summary: string) => ({
    config: { access: CONTRACT_READERS },
    schema: { tags: ['verplichtingen'], summary, params: IdParams, querystring: PageQuery, response: { 200: Collection(Type.Ref(ref)), ...problemResponses(400, 404) } },
    path
  })
  const overlegList = list('/contracten/:id/overleggen', 'Overleg', 'The contract\'s overleg records, in recording order')
  app.get(overlegList.path, overlegList, async (request, reply) => {
    const { rows, total } = await overleggenPage(app.db, request.params.id, offsetOf(request.query), scopeOf(request.principal))
    setPageLinks(request, reply, request.query, total)
    return { resultaten: rows.map(overlegToApi), aantal: total }
  })
  const releaseList = list('/contracten/:id/releases', 'Release', 'The contract\'s release records, in recording order')
  app.get(releaseList.path, releaseList, async (request, reply) => {
    const { rows, total } = await releasesPage(app.db, request.params.id, offsetOf(request.query), scopeOf(request.principal))
    setPageLinks(request, reply, request.query, total)
    return { resultaten: rows.map(releaseToApi), aantal: total }
  })
  const documentList = list('/contracten/:id/documenten', 'Document', 'The contract\'s documents, in recording order')
  app.get(documentList.path, documentList, async (request, reply) => {
    const { rows, total } = await documentenPage(app.db, request.params.id, offsetOf(request.query), scopeOf(request.principal))
    setPageLinks(request, reply, request.query, total)
    return { resultaten: rows.map(documentToApi), aantal: total }
  })
  const exitList = list('/contracten/:id/exit', 'ExitMijlpaal', 'The contract\'s exit milestones, in recording order')
  app.get(exitList.path, exitList, async (request, reply) => {
    const { rows, total } = await exitMijlpalenPage(app.db, request.params.id, offsetOf(request.query), scopeOf(request.principal))
    setPageLinks(request, reply, request.query, total)
    return { resultaten: rows.map(exitToApi), aantal: total }
  })

  app.get('/contracten/:id/verplichtingen', {
    config: { access: CONTRACT_READERS },
    schema: {
      tags: ['verplichtingen'], summary: 'Every obligation of the contract at now or at a peilmoment: what is not met first, the next due first (R-VPL-1…6)',
      description: 'Facts count when their own instant is not after the peilmoment. Filters: status, soort.',
      params: IdParams, querystring: VerplichtingenQuery, response: { 200: Collection(Type.Ref('Verplichting')), ...problemResponses(400, 404) }
    }
  }, async (request, reply) => {
    const q = request.query
    const { rows, total } = await contractVerplichtingen(app.db, request.params.id, readOptionalInstant(q.peilmoment) ?? app.clock(), { status: q.status, soort: q.soort }, offsetOf(q), scopeOf(request.principal))
    setPageLinks(request, reply, q, total)
    return { resultaten: rows.map(verplichtingToApi), aantal: total }
  })

  app.get('/verplichtingen', {
    config: { access: CONTRACT_READERS },
    schema: {
      tags: ['verplichtingen'], summary: 'The obligations of every contract the key may see, e.g. `?status=verlopen` for Monday morning',
      querystring: VerplichtingenQuery, response: { 200: Collection(Type.Ref('Verplichting')), ...problemResponses(400) }
    }
  }, async (request, reply) => {
    const q = request.query
    const { rows, total } = await alleVerplichtingen(app.db, readOptionalInstant(q.peilmoment) ?? app.clock(), { status: q.status, soort: q.soort }, offsetOf(q), scopeOf(request.principal))
    setPageLinks(request, reply, q, total)
    return { resultaten: rows.map(verplichtingToApi), aantal: total }
  })
}

export default verplichtingen
