import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import {
  formatDuration, formatInstant, parseDuration, PRIORITEITEN, SLA_TIME_ZONE, versionInForce,
  type Instant, type Norm, type Normen, type Prioriteit, type VoorwaardenVersie
} from '../../../core/index.js'
import { contractenPage, contractView, createContract, patchContract, type ContractView, type TermsPatch } from '../../../services/contracten.js'
import { scopeOf } from '../../../services/scope.js'
import { invalid } from '../../../services/errors.js'
import { BEHEERDER } from '../../plugins/auth.js'
import { offsetOf, setPageLinks } from '../../pagination.js'
import { Collection, IdParams, PaginationQuery, problemResponses, Uuid } from '../../schemas/common.js'
import { NewContractSchema, PatchContractSchema, type Contract } from '../../schemas/contracten.js'

export const CONTRACT_READERS = ['beheerder', 'lezer', 'leverancier'] as const

/** What a key may see (the routes of every contract-bound resource take it from here). */
export { scopeOf }

interface ApiNorm { prioriteit: number, reactietijd: string | null, functiehersteltijd: string, voortgang: string | null, kalender: 'kantooruren' | 'altijd' }

const normenToApi = (n: Normen): ApiNorm[] => PRIORITEITEN.map((p) => {
  const x = n.perPrioriteit[p]
  return {
    prioriteit: p,
    reactietijd: x.reactietijd === null ? null : formatDuration(x.reactietijd),
    functiehersteltijd: formatDuration(x.functiehersteltijd),
    voortgang: x.voortgang === null ? null : formatDuration(x.voortgang),
    kalender: x.kalender
  }
})

/** The terms of a request body, with every bad duration or missing priority named. */
function termsFromApi (b: { normen?: ApiNorm[] | undefined, automatischSluitenNa?: string | undefined, prestatienorm?: number | undefined, beschikbaarheidsnorm?: number | undefined, extraGeslotenDagen?: Array<{ datum: string, naam: string }> | undefined }): TermsPatch {
  const problems: Array<{ name: string, reason: string }> = []
  const dur = (text: string, name: string, positive: boolean): number => {
    try {
      const d = parseDuration(text, name)
      if (positive && d <= 0) problems.push({ name, reason: 'must be longer than zero' })
      return d
    } catch (err) { problems.push({ name, reason: (err as Error).message }); return 0 }
  }
  let perPrioriteit: Record<Prioriteit, Norm> | undefined
  if (b.normen !== undefined) {
    const given = new Set(b.normen.map((n) => n.prioriteit))
    if (given.size !== 4) problems.push({ name: 'normen', reason: 'needs exactly one norm for each prioriteit 1, 2, 3 and 4' })
    perPrioriteit = {} as Record<Prioriteit, Norm>
    b.normen.forEach((n, i) => {
      (perPrioriteit as Record<Prioriteit, Norm>)[n.prioriteit as Prioriteit] = {
        reactietijd: n.reactietijd === null ? null : dur(n.reactietijd, `normen[${i}].reactietijd`, true),
        functiehersteltijd: dur(n.functiehersteltijd, `normen[${i}].functiehersteltijd`, true),
        voortgang: n.voortgang === null ? null : dur(n.voortgang, `normen[${i}].voortgang`, true),
        kalender: n.kalender
      }
    })
  }
  const automatischSluitenNa = b.automatischSluitenNa === undefined ? undefined : dur(b.automatischSluitenNa, 'automatischSluitenNa', true)
  if (problems.length > 0) throw invalid(problems)
  return {
    normen: perPrioriteit === undefined ? undefined : { perPrioriteit },
    automatischSluitenNa,
    prestatienorm: b.prestatienorm,
    beschikbaarheidsnorm: b.beschikbaarheidsnorm,
    extraGeslotenDagen: b.extraGeslotenDagen
  }
}

const versieToApi = (v: VoorwaardenVersie) => ({
  versie: v.versie,
  geldigVanaf: v.geldigVanaf,
  normen: normenToApi(v.normen),
  automatischSluitenNa: formatDuration(v.normen.automatischSluitenNa),
  prestatienorm: v.prestatienorm,
  beschikbaarheidsnorm: v.beschikbaarheidsnorm,
  extraGeslotenDagen: v.extraGeslotenDagen.map((d) => ({ ...d }))
})

export function contractToApi (c: ContractView, now: Instant): Contract {
  const current = versieToApi(versionInForce(c.versies, now, SLA_TIME_ZONE))
  return {
    id: c.row.id,
    leverancier: c.row.leverancier_id,
    naam: c.row.naam,
    normen: current.normen,
    automatischSluitenNa: current.automatischSluitenNa,
    prestatienorm: current.prestatienorm,
    beschikbaarheidsnorm: current.beschikbaarheidsnorm,
    extraGeslotenDagen: current.extraGeslotenDagen,
    geldigVanaf: current.geldigVanaf,
    versies: c.versies.map(versieToApi),
    aangemaaktOp: formatInstant(c.row.aangemaakt_op.getTime())
  }
}

/** Contracts and their terms, versioned by date (issue 4, SLA-RULES §4). */
const contracten: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/contracten', {
    config: { access: BEHEERDER },
    schema: {
      tags: ['contracten'], summary: 'Register a contract; terms not given are the standard SLA\'s', body: NewContractSchema,
      response: { 201: Type.Ref('Contract'), ...problemResponses(400, 415) }
    }
  }, async (request, reply) => {
    const b = request.body
    const view = await createContract(app.db, { leverancier: b.leverancier, naam: b.naam, geldigVanaf: b.geldigVanaf }, termsFromApi(b), request.principal?.keyId ?? null)
    return reply.code(201).header('location', `/api/v1/contracten/${view.row.id}`).send(contractToApi(view, app.clock()))
  })

  app.get('/contracten', {
    config: { access: CONTRACT_READERS },
    schema: {
      tags: ['contracten'], summary: 'List contracts, by name',
      querystring: Type.Object({ ...PaginationQuery, leverancier: Type.Optional(Uuid) }, { additionalProperties: false }),
      response: { 200: Collection(Type.Ref('Contract')), ...problemResponses(400) }
    }
  }, async (request, reply) => {
    const { views, total } = await contractenPage(app.db, offsetOf(request.query), scopeOf(request.principal), request.query.leverancier)
    setPageLinks(request, reply, request.query, total)
    const now = app.clock()
    return { resultaten: views.map((v) => contractToApi(v, now)), aantal: total }
  })

  app.get('/contracten/:id', {
    config: { access: CONTRACT_READERS },
    schema: {
      tags: ['contracten'], summary: 'One contract with every version of its terms', params: IdParams,
      response: { 200: Type.Ref('Contract'), ...problemResponses(400, 404) }
    }
  }, async (request) => contractToApi(await contractView(app.db, request.params.id, scopeOf(request.principal)), app.clock()))

  app.patch('/contracten/:id', {
    config: { access: BEHEERDER },
    schema: {
      tags: ['contracten'],
      summary: 'Rename a contract, or add a version of its terms from geldigVanaf on',
      description: 'A change of terms never rewrites history: it becomes a new version, and every melding stays judged by the version in force at its gemeldOp.',
      params: IdParams, body: PatchContractSchema,
      response: { 200: Type.Ref('Contract'), ...problemResponses(400, 404, 409, 415) }
    }
  }, async (request) => {
    const b = request.body
    const view = await patchContract(app.db, request.params.id, { naam: b.naam, geldigVanaf: b.geldigVanaf }, termsFromApi(b), request.principal?.keyId ?? null)
    return contractToApi(view, app.clock())
  })
}

export default contracten
