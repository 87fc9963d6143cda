import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import {
  explainSla, formatDuration, formatInstant, isPrioriteit,
  type Instant, type Klok, type MeldingStatus, type Prioriteit
} from '../../../core/index.js'
import {
  actieveVerstoringen, addEvents, checkEvents, createMelding, gebeurtenissenOf, meldingAt, meldingenPage,
  type GebeurtenisRow, type MeldingView, type NewGebeurtenis
} from '../../../services/meldingen.js'
import { slaContext } from '../../../services/voorwaarden.js'
import { Problems, readInstant, readOptionalInstant } from '../../instants.js'
import { invalidParamsOf, type AjvError } from '../../plugins/problem-handling.js'
import { offsetOf, pageOfList, setPageLinks } from '../../pagination.js'
import { Collection, IdParams, PaginationQuery, problemResponses } from '../../schemas/common.js'
import {
  MeldingenQuery, MeldingQuery, NewGebeurtenissenSchema, NewMeldingSchema,
  type GebeurtenisApi, type Melding
} from '../../schemas/meldingen.js'
import { toUitleg } from '../kalender/uitleg.js'
import { bronToApi } from '../../representations/bron.js'
import { CONTRACT_READERS, scopeOf } from '../contracten/index.js'

const WRITERS = ['beheerder', 'leverancier'] as const

const instantOrNull = (t: Instant | null): string | null => (t === null ? null : formatInstant(t))
const durationOrNull = (d: number | null): string | null => (d === null ? null : formatDuration(d))

const klokToApi = (k: Klok) => ({
  status: k.status,
  norm: durationOrNull(k.norm),
  deadline: instantOrNull(k.deadline),
  verbruikt: durationOrNull(k.verbruikt),
  resterend: durationOrNull(k.resterend),
  risico: k.risico,
  beslistOp: instantOrNull(k.beslistOp)
})

/** The API's melding: stored facts plus everything computed at the peilmoment. */
export function meldingToApi (v: MeldingView, uitleg: boolean): Melding {
  const s = v.state
  const out: Melding = {
    id: v.row.id,
    contract: v.row.contract_id,
    kenmerk: v.row.kenmerk,
    onderwerp: v.row.onderwerp,
    type: v.row.type,
    omgeving: v.row.omgeving,
    prioriteit: s.prioriteit,
    gevraagdePrioriteit: v.row.gevraagde_prioriteit,
    gemeldOp: formatInstant(v.row.gemeld_op.getTime()),
    status: s.status,
    actief: s.status !== 'opgelost' && s.status !== 'gesloten',
    aangemaaktOp: formatInstant(v.row.aangemaakt_op.getTime()),
    voorwaardenVersie: v.version.versie,
    beveiliging: v.row.biv === null ? null : { biv: v.row.biv, major: v.row.major === true },
    prioriteitBetwist: s.betwist.map(formatInstant),
    afwijkingen: s.afwijkingen.map((a) => ({ soort: a.soort, gebeurtenis: a.gebeurtenis, op: formatInstant(a.op) })),
    sla: {
      peilmoment: formatInstant(s.peilmoment),
      reactie: klokToApi(s.reactie),
      functieherstel: klokToApi(s.functieherstel),
      voortgang: {
        cadans: durationOrNull(s.voortgang.cadans),
        volgendeOp: instantOrNull(s.voortgang.volgendeOp),
        gemist: s.voortgang.gemist,
        gemistOp: s.voortgang.gemistOp.map(formatInstant)
      },
      automatischSluitenOp: instantOrNull(s.automatischSluitenOp)
    },
    bron: bronToApi(v.bron)
  }
  if (!uitleg) return out
  const e = explainSla(v.feiten, slaContext(v.version), s)
  const klokUitleg = (k: typeof e.reactie) => ({
    kalender: k.kalender,
    norm: durationOrNull(k.norm),
    segmenten: k.segmenten.map((g) => ({ van: formatInstant(g.start), tot: formatInstant(g.end), status: g.status, loopt: g.loopt })),
    werktijd: k.werktijd === null ? null : toUitleg(k.werktijd)
  })
  return {
    ...out,
    uitleg: {
      voorwaarden: { contract: v.row.contract_id, versie: v.version.versie, geldigVanaf: v.version.geldigVanaf },
      prioriteit: {
        prioriteit: s.prioriteit,
        regel: s.prioriteitRegel,
        historie: s.prioriteitHistorie.map((h) => ({ op: formatInstant(h.op), gevraagd: h.gevraagd, prioriteit: h.prioriteit, regel: h.regel, gebeurtenis: h.gebeurtenis }))
      },
      reactie: klokUitleg(e.reactie),
      functieherstel: klokUitleg(e.functieherstel)
    }
  }
}

const gebeurtenisToApi = (r: GebeurtenisRow): GebeurtenisApi => ({
  id: r.id,
  melding: r.melding_id,
  kenmerk: r.kenmerk,
  type: r.type,
  op: formatInstant(r.op.getTime()),
  status: r.status,
  prioriteit: r.prioriteit,
  sluitreden: r.sluitreden,
  toelichting: r.toelichting,
  ontvangenOp: formatInstant(r.ontvangen_op.getTime()),
  sleutel: r.sleutel_id,
  ...(r.bericht_id == null ? {} : { bericht: r.bericht_id })
})

declare module 'fastify' {
  interface FastifyRequest {
    /** The events body was one object, not an array (errors then name fields without `[0].`). */
    singleEvent?: boolean
  }
}

/**
 * Meldingen and their events (SLA-RULES §3–§7). Writes are idempotent per (contract, kenmerk)
 * and (melding, kenmerk); a leverancier key sees and writes only its own leverancier's.
 */
const meldingen: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/meldingen', {
    config: { access: WRITERS },
    schema: {
      tags: ['meldingen'],
      summary: 'Register a melding; a repeat with the same contract and kenmerk answers 200 with the stored one',
      body: NewMeldingSchema,
      response: { 200: Type.Ref('Melding'), 201: Type.Ref('Melding'), ...problemResponses(400, 409, 415) }
    }
  }, async (request, reply) => {
    const b = request.body
    const gemeldOp = readInstant(b.gemeldOp)
    const { view, created } = await createMelding(app.db, {
      contract: b.contract, kenmerk: b.kenmerk, onderwerp: b.onderwerp, type: b.type,
      omgeving: b.omgeving ?? 'productie', prioriteit: b.prioriteit as Prioriteit | undefined, gemeldOp,
      beveiliging: b.beveiliging
    }, scopeOf(request.principal), request.principal?.keyId ?? null, app.clock())
    return reply.code(created ? 201 : 200).header('location', `/api/v1/meldingen/${view.row.id}`).send(meldingToApi(view, false))
  })

  app.get('/meldingen', {
    config: { access: CONTRACT_READERS },
    schema: {
      tags: ['meldingen'], summary: 'List meldingen with their sla blocks, by gemeldOp',
      description: 'Filters use the current status and priority; `peilmoment` sets the instant the sla blocks are computed at.',
      querystring: MeldingenQuery,
      response: { 200: Collection(Type.Ref('Melding')), ...problemResponses(400) }
    }
  }, async (request, reply) => {
    const q = request.query
    const gemeldVanaf = readOptionalInstant(q.gemeldVanaf)
    const gemeldTot = readOptionalInstant(q.gemeldTot)
    const { views, total } = await meldingenPage(app.db, {
      contract: q.contract, status: q.status, prioriteit: isPrioriteit(q.prioriteit) ? q.prioriteit : undefined, type: q.type, actief: q.actief, gemeldVanaf, gemeldTot, afwijkend: q.afwijkend
    }, offsetOf(q), scopeOf(request.principal), readOptionalInstant(q.peilmoment), app.clock())
    setPageLinks(request, reply, q, total)
    return { resultaten: views.map((v) => meldingToApi(v, false)), aantal: total }
  })

  app.get('/meldingen/:id', {
    config: { access: CONTRACT_READERS },
    schema: {
      tags: ['meldingen'], summary: 'One melding with its sla block, at now or at a peilmoment, explained on request',
      params: IdParams, querystring: MeldingQuery,
      response: { 200: Type.Ref('Melding'), ...problemResponses(400, 404) }
    }
  }, async (request) => {
    const view = await meldingAt(app.db, request.params.id, scopeOf(request.principal), readOptionalInstant(request.query.peilmoment), app.clock())
    return meldingToApi(view, request.query.uitleg === true)
  })

  app.get('/actieve-verstoringen', {
    config: { access: CONTRACT_READERS },
    schema: {
      tags: ['meldingen'],
      summary: 'Open prio 1 and 2 meldingen, for a banner or pop-up in client applications (R-COM-3)',
      querystring: Type.Object({ ...PaginationQuery }, { additionalProperties: false }),
      response: { 200: Collection(Type.Ref('Melding')), ...problemResponses(400) }
    }
  }, async (request, reply) => {
    const q = request.query
    const { views, total } = await actieveVerstoringen(app.db, offsetOf(q), scopeOf(request.principal), app.clock())
    setPageLinks(request, reply, q, total)
    return { resultaten: views.map((v) => meldingToApi(v, false)), aantal: total }
  })

  app.get('/meldingen/:id/gebeurtenissen', {
    config: { access: CONTRACT_READERS },
    schema: {
      tags: ['meldingen'], summary: 'The events of a melding, in time order (op), never changed or removed',
      params: IdParams, querystring: Type.Object({ ...PaginationQuery }, { additionalProperties: false }),
      response: { 200: Collection(Type.Ref('Gebeurtenis')), ...problemResponses(400, 404) }
    }
  }, async (request, reply) => {
    const events = await gebeurtenissenOf(app.db, request.params.id, scopeOf(request.principal))
    return pageOfList(request, reply, request.query, events, gebeurtenisToApi)
  })

  app.post('/meldingen/:id/gebeurtenissen', {
    config: { access: WRITERS },
    schema: {
      tags: ['meldingen'],
      summary: 'Record events of a melding: one object, or an array stored all or none',
      description: 'Events may arrive late and out of order (R-CLK-6). An event with a kenmerk the melding has already is answered as stored (200 when nothing was new). `prioriteit-betwist` is for beheerder keys only (R-PRI-6).',
      params: IdParams,
      body: NewGebeurtenissenSchema,
      response: {
        200: Type.Object({ resultaten: Type.Array(Type.Ref('Gebeurtenis')), aantal: Type.Integer(), sla: Type.Ref('Sla') }),
        201: Type.Object({ resultaten: Type.Array(Type.Ref('Gebeurtenis')), aantal: Type.Integer(), sla: Type.Ref('Sla') }),
        ...problemResponses(400, 404, 409, 413, 415)
      }
    },
    // One event may be sent as a plain object: wrap it before validation.
    preValidation: async (request) => {
      if (request.body !== null && typeof request.body === 'object' && !Array.isArray(request.body)) {
        request.singleEvent = true
        ;(request as { body: unknown }).body = [request.body]
      }
    },
    attachValidation: true
  }, async (request, reply) => {
    const single = request.singleEvent === true
    const prefix = (i: number): string => (single ? '' : `[${i}].`)
    const problems = new Problems()
    // Schema errors and the rules per event type are reported together, in one 400.
    const validation = (request.validationError as (Error & { validation?: AjvError[] }) | undefined)?.validation
    if (validation !== undefined) {
      for (const v of validation) if (single) v.instancePath = v.instancePath.replace(/^\/0(?=\/|$)/, '')
      for (const p of invalidParamsOf(validation, 'body')) problems.add(p.name, p.reason)
    }
    const items: Array<Partial<Record<string, unknown>>> = Array.isArray(request.body) ? request.body.filter((e) => e !== null && typeof e === 'object') : []
    const events: NewGebeurtenis[] = items.map((e) => {
      let op = 0
      try { op = readInstant(String(e.op)) } catch { /* reported by the schema */ }
      return {
        type: e.type as NewGebeurtenis['type'],
        op,
        status: e.status as MeldingStatus | undefined,
        prioriteit: e.prioriteit as Prioriteit | undefined,
        sluitreden: e.sluitreden as NewGebeurtenis['sluitreden'],
        toelichting: typeof e.toelichting === 'string' ? e.toelichting : undefined,
        kenmerk: typeof e.kenmerk === 'string' ? e.kenmerk : undefined
      }
    })
    for (const p of checkEvents(events, request.principal?.rol ?? '', prefix)) problems.add(p.name, p.reason)
    problems.throwIfAny('field')
    const { view, stored } = await addEvents(app.db, request.params.id, events, scopeOf(request.principal), request.principal?.keyId ?? null, app.clock())
    const created = stored.some((s) => s.created)
    if (single && stored[0] !== undefined) reply.header('location', `/api/v1/meldingen/${request.params.id}/gebeurtenissen`)
    return reply.code(created ? 201 : 200).send({ resultaten: stored.map((s) => gebeurtenisToApi(s.row)), aantal: stored.length, sla: meldingToApi(view, false).sla })
  })
}

export default meldingen
