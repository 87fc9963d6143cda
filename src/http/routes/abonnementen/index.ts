import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { formatInstant } from '../../../core/index.js'
import { scopeOf } from '../../../services/scope.js'
import {
  abonnement, abonnementenList, afleveringenList, createAbonnement, escalatiematrix, GeenSleutelError, opnieuw, putEscalatiematrix, stopAbonnement, testAbonnement,
  type AbonnementSoort, type MatrixView
} from '../../../services/signalen.js'
import { offsetOf, setPageLinks } from '../../pagination.js'
import { problem } from '../../problem.js'
import { Collection, IdParams, PaginationQuery, problemResponses, Uuid } from '../../schemas/common.js'
import { NewAbonnementSchema, PutMatrixSchema, type Abonnement, type Aflevering, type Escalatiematrix } from '../../schemas/signalen.js'

const READERS = ['beheerder', 'lezer', 'leverancier'] as const
const WRITERS = ['beheerder', 'leverancier'] as const
/** Abonnementen hold addresses and URLs: for those who may make them. */
const ABONNEES = WRITERS

type AbonnementRowLike = { id: string, soort: AbonnementSoort, url: string | null, adressen: string[] | null, niveau: number | null, signalen: string[] | null, contract_id: string | null, leverancier_id: string | null, omschrijving: string, actief: boolean, aangemaakt_op: Date }
type AfleveringRowLike = { id: string, abonnement_id: string, signaal_id: string, sig_soort: string, sig_melding_id: string | null, sig_op: Date, status: Aflevering['status'], pogingen: number, volgende_poging_op: Date | null, laatste_poging_op: Date | null, laatste_status: number | null, laatste_fout: string | null, afgeleverd_op: Date | null, aangemaakt_op: Date }

const at = (d: Date | null): string | null => d === null ? null : formatInstant(d.getTime())

const toApi = (r: AbonnementRowLike, geheim?: string): Abonnement => ({
  id: r.id,
  soort: r.soort,
  url: r.url,
  adressen: r.adressen,
  niveau: r.niveau as Abonnement['niveau'],
  signalen: r.signalen,
  contract: r.contract_id,
  leverancier: r.leverancier_id,
  omschrijving: r.omschrijving,
  actief: r.actief,
  aangemaaktOp: formatInstant(r.aangemaakt_op.getTime()),
  ...(geheim === undefined ? {} : { geheim })
})

const afleveringToApi = (f: AfleveringRowLike): Aflevering => ({
  id: f.id,
  abonnement: f.abonnement_id,
  signaal: f.signaal_id,
  soort: f.sig_soort,
  melding: f.sig_melding_id,
  op: formatInstant(f.sig_op.getTime()),
  status: f.status,
  pogingen: f.pogingen,
  volgendePogingOp: at(f.volgende_poging_op),
  laatstePogingOp: at(f.laatste_poging_op),
  laatsteStatus: f.laatste_status,
  laatsteFout: f.laatste_fout,
  afgeleverdOp: at(f.afgeleverd_op),
  aangemaaktOp: formatInstant(f.aangemaakt_op.getTime())
})

const matrixToApi = (m: MatrixView): Escalatiematrix => {
  const last = m.versies[m.versies.length - 1]
  if (last === undefined) throw new Error('a matrix view has a version')
  return {
    contract: m.contract,
    versie: last.versie,
    geldigVanaf: last.geldig_vanaf,
    contacten: last.contacten,
    gewijzigdOp: formatInstant(last.aangemaakt_op.getTime()),
    verouderd: m.verouderd,
    versies: m.versies.map((v) => ({ versie: v.versie, geldigVanaf: v.geldig_vanaf, gewijzigdOp: formatInstant(v.aangemaakt_op.getTime()) }))
  }
}

const NO_KEY_503 = Type.Unsafe({
  ...Type.Ref('Problem'),
  description: 'A webhook: no SLA_GEHEIMEN_SLEUTEL on PostgreSQL, so its signing secret cannot be stored; or the database is down, frozen or overloaded, or the service sheds load: nothing was done, retry after `Retry-After` seconds'
})

const AfleveringParams = Type.Object({ id: Uuid, afleveringId: Uuid }, { additionalProperties: false })

export interface AbonnementenOptions { readonly geheimenSleutel: Buffer | undefined }

/** Signalen (issue 14): abonnementen, their delivery log, and the escalation matrix per contract. */
const abonnementen: FastifyPluginAsyncTypebox<AbonnementenOptions> = async (app, opts) => {
  app.post('/abonnementen', {
    config: { access: WRITERS },
    schema: {
      tags: ['signalen'], summary: 'Subscribe to signals: a webhook, e-mail addresses, or an escalation level of the contracts',
      description: 'A leverancier key\'s abonnement takes only its own contracts\' signals. A webhook is signed as Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`) with the `geheim` answered here once; its body has the shape of a VNG Notificaties API message.',
      body: NewAbonnementSchema,
      response: { 201: Type.Ref('Abonnement'), ...problemResponses(400, 415), 503: NO_KEY_503 }
    }
  }, async (request, reply) => {
    const { row, geheim } = await createAbonnement(app.db, opts.geheimenSleutel, request.body, scopeOf(request.principal), request.principal?.keyId ?? null, app.clock())
      .catch((err: unknown) => { if (err instanceof GeenSleutelError) throw problem(503, err.message); throw err })
    return reply.code(201).header('location', `/api/v1/abonnementen/${row.id}`).send(toApi(row, geheim))
  })

  app.get('/abonnementen', {
    config: { access: ABONNEES },
    schema: {
      tags: ['signalen'], summary: 'List abonnementen, oldest first',
      querystring: Type.Object({ ...PaginationQuery, contract: Type.Optional(Uuid) }, { additionalProperties: false }),
      response: { 200: Collection(Type.Ref('Abonnement')), ...problemResponses(400) }
    }
  }, async (request, reply) => {
    const { rows, total } = await abonnementenList(app.db, offsetOf(request.query), scopeOf(request.principal), request.query.contract)
    setPageLinks(request, reply, request.query, total)
    return { resultaten: rows.map((r) => toApi(r)), aantal: total }
  })

  app.get('/abonnementen/:id', {
    config: { access: ABONNEES },
    schema: { tags: ['signalen'], summary: 'One abonnement', params: IdParams, response: { 200: Type.Ref('Abonnement'), ...problemResponses(400, 404) } }
  }, async (request) => toApi(await abonnement(app.db, request.params.id, scopeOf(request.principal))))

  app.delete('/abonnementen/:id', {
    config: { access: WRITERS },
    schema: { tags: ['signalen'], summary: 'Stop an abonnement: no new deliveries; its log stays readable', params: IdParams, response: { 200: Type.Ref('Abonnement'), ...problemResponses(400, 404) } }
  }, async (request) => toApi(await stopAbonnement(app.db, request.params.id, scopeOf(request.principal))))

  app.get('/abonnementen/:id/afleveringen', {
    config: { access: ABONNEES },
    schema: {
      tags: ['signalen'], summary: 'The delivery log of an abonnement, oldest first', params: IdParams,
      querystring: Type.Object({ ...PaginationQuery, status: Type.Optional(Type.Union([Type.Literal('wachtend'), Type.Literal('afgeleverd'), Type.Literal('mislukt')])) }, { additionalProperties: false }),
      response: { 200: Collection(Type.Ref('Aflevering')), ...problemResponses(400, 404) }
    }
  }, async (request, reply) => {
    const { rows, total } = await afleveringenList(app.db, request.params.id, scopeOf(request.principal), offsetOf(request.query), request.query.status)
    setPageLinks(request, reply, request.query, total)
    return { resultaten: rows.map(afleveringToApi), aantal: total }
  })

  app.post('/abonnementen/:id/test', {
    config: { access: WRITERS },
    schema: {
      tags: ['signalen'], summary: 'Send a test signal to this abonnement', params: IdParams,
      description: 'The delivery is made like any other (within the job\'s interval) and shows in the log.',
      response: { 202: Type.Ref('Aflevering'), ...problemResponses(400, 404, 409) }
    }
  }, async (request, reply) => reply.code(202).send(afleveringToApi(await testAbonnement(app.db, request.params.id, scopeOf(request.principal), app.clock()))))

  app.post('/abonnementen/:id/afleveringen/:afleveringId/opnieuw', {
    config: { access: WRITERS },
    schema: {
      tags: ['signalen'], summary: 'Send a delivery again, with a new 24-hour window of attempts', params: AfleveringParams,
      response: { 202: Type.Ref('Aflevering'), ...problemResponses(400, 404) }
    }
  }, async (request, reply) => reply.code(202).send(afleveringToApi(await opnieuw(app.db, request.params.id, request.params.afleveringId, scopeOf(request.principal), app.clock()))))

  app.get('/contracten/:id/escalatiematrix', {
    config: { access: READERS },
    schema: {
      tags: ['signalen'], summary: 'The escalation matrix of a contract (SLA 6.3), with when it was last confirmed', params: IdParams,
      response: { 200: Type.Ref('Escalatiematrix'), ...problemResponses(400, 404) }
    }
  }, async (request) => matrixToApi(await escalatiematrix(app.db, request.params.id, scopeOf(request.principal), app.clock())))

  app.put('/contracten/:id/escalatiematrix', {
    config: { access: WRITERS },
    schema: {
      tags: ['signalen'], summary: 'Set or confirm the escalation matrix: a new version (also when unchanged, which confirms it)', params: IdParams,
      body: PutMatrixSchema,
      response: { 200: Type.Ref('Escalatiematrix'), ...problemResponses(400, 404, 415) }
    }
  }, async (request) => matrixToApi(await putEscalatiematrix(app.db, request.params.id, request.body, scopeOf(request.principal), request.principal?.keyId ?? null, app.clock())))
}

export default abonnementen
