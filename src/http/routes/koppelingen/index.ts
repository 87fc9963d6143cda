import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { formatInstant, parseDuration } from '../../../core/index.js'
import { scopeOf } from '../../../services/scope.js'
import {
  Berichtenverwerking, berichtenList, bewaardTot, createKoppeling, GeenSleutelError, GeheimOnleesbaarError, herverwerk, herverwerkAlle, koppelingenList, koppelingView, wisselGeheim,
  latest, patchKoppeling, type BerichtOpgeslagen, type KoppelingView, type VerwerkingOpties, type VertalingPatch
} from '../../../services/koppelingen.js'
import { offsetOf, setPageLinks } from '../../pagination.js'
import { problem } from '../../problem.js'
import { Collection, IdParams, PaginationQuery, problemResponses, Uuid } from '../../schemas/common.js'
import { BerichtResultaat, NewImportSchema, NewKoppelingSchema, PatchKoppelingSchema, WisselGeheimSchema, type Bericht, type BerichtUitkomst, type Koppeling, type TopdeskImportApi } from '../../schemas/koppelingen.js'
import { annuleerImport, importView, startImport, verwachtEinde, vulDunnePushAan, type TopdeskImportRow } from '../../../services/topdesk.js'
import { DateTime } from 'luxon'

export interface KoppelingenOptions {
  /** The AES-256 key of the koppelingen's secrets; undefined: none can be made or checked (503). */
  readonly geheimenSleutel: Buffer | undefined
  /** `PUBLIC_URL`, for `berichtenUrl`. */
  readonly publicUrl: string
  /** How inbound messages are processed: the answer's time budget (KOPPELING_ANTWOORD_MS) and more. */
  readonly verwerking: Omit<VerwerkingOpties, 'bijFout'>
  /** BERICHTEN_BEWAARTERMIJN_MAANDEN: raw bodies are kept this many months (for `bewaardTot`). */
  readonly bewaartermijnMaanden: number
}

const READERS = ['beheerder', 'lezer', 'leverancier'] as const
const WRITERS = ['beheerder', 'leverancier'] as const
/** The inbox holds bodies with personal data and signature headers: not for lezer keys. */
const INBOX_READERS = WRITERS

/** Every refused inbound message gets this one answer: it tells nothing about which koppelingen exist or which tool they are. */
const REFUSED = 'unknown koppeling, or a bad or missing signature or secret'

/** At most this many messages (each up to 1 MiB) per page of the inbox. */
const MAX_BERICHTEN_PAGE = 50

/** What the tool is answered: the message's outcome, or `ontvangen` while processing goes on. */
const Ontvangen = Type.Object({ id: Uuid, resultaat: Type.Literal('ontvangen'), reden: Type.Null() })

/** Every route documents 503 (database or load); these two also answer it without SLA_GEHEIMEN_SLEUTEL. */
const NO_KEY_503 = Type.Unsafe({
  ...Type.Ref('Problem'),
  description: 'No SLA_GEHEIMEN_SLEUTEL on PostgreSQL, so no koppeling secret can be stored or read (set it and restart); or (inbound messages) the koppeling\'s stored secret cannot be read with the current SLA_GEHEIMEN_SLEUTEL (the key was changed: logged as an error, nothing stored); or the database is down, frozen or overloaded, or the service sheds load: nothing was done, retry after `Retry-After` seconds'
})

/**
 * Read access to the gemeente's TOPdesk (issue 13) is the gemeente's to give: only a beheerder key
 * sets `topdesk` (the service then calls that URL with that login; a leverancier must not point it
 * elsewhere).
 */
function onlyBeheerderReadsTopdesk (rol: string | undefined, topdesk: unknown): undefined {
  if (topdesk !== undefined && rol !== 'beheerder') throw problem(403, 'only a beheerder key may give a koppeling read access to TOPdesk (`topdesk`)')
  return undefined
}

const TOPDESK_403 = Type.Unsafe({ ...Type.Ref('Problem'), description: 'The key\'s role may not do this; or `topdesk` was given by a key that is not a beheerder' })

const BerichtParams = Type.Object({ id: Uuid, berichtId: Uuid }, { additionalProperties: false })

/** Koppelingen with TOPdesk, Jira and Zendesk, their inbound webhooks and inbox (issue 12). */
const koppelingen: FastifyPluginAsyncTypebox<KoppelingenOptions> = async (app, opts) => {
  const verwerking = new Berichtenverwerking(app.db, {
    ...opts.verwerking,
    // Issue 13: a thin TOPdesk push is completed through the REST API, in processing.
    dunnePush: async (k, b, body, now) => await vulDunnePushAan(app.db, opts.geheimenSleutel, k, b, body, now),
    // The message stays `ontvangen`; the job processes it later.
    bijFout: (err, bericht) => { app.log.error({ err, bericht }, 'processing an inbound message failed; the job retries it') }
  })
  // Shutdown: the answers were given, but what they started is finished before the database closes.
  app.addHook('onClose', async () => { await verwerking.sluit() })

  const uitkomst = (b: BerichtOpgeslagen): BerichtUitkomst => ({
    id: b.id,
    koppeling: b.koppeling_id,
    ontvangenOp: formatInstant(b.ontvangen_op.getTime()),
    levering: b.levering,
    ticket: b.ticket,
    volgorde: b.volgorde === null ? null : formatInstant(b.volgorde.getTime()),
    headers: b.headers,
    resultaat: b.resultaat,
    reden: b.reden,
    verwerktOp: b.verwerkt_op === null ? null : formatInstant(b.verwerkt_op.getTime()),
    inhoudSha256: b.inhoud_sha256,
    bewaardTot: formatInstant(bewaardTot(b.ontvangen_op, opts.bewaartermijnMaanden)),
    opgeschoondOp: b.opgeschoond_op === null ? null : formatInstant(b.opgeschoond_op.getTime())
  })
  /** A message as the inbox shows it: its outcome and the body as received (null once cleared). */
  const bericht = (b: BerichtOpgeslagen): Bericht => ({ ...uitkomst(b), inhoud: b.inhoud })

  const toApi = (v: KoppelingView, geheim?: string): Koppeling => ({
    id: v.row.id,
    contract: v.row.contract_id,
    bron: v.row.bron,
    naam: v.row.naam,
    berichtenUrl: `${opts.publicUrl}/koppelingen/${v.row.id}/berichten`,
    vertaling: latest(v),
    versies: v.versies.map((x) => ({ versie: x.versie, geldigVanaf: formatInstant(x.geldigVanaf), vertaling: x.vertaling })),
    aangemaaktOp: formatInstant(v.row.aangemaakt_op.getTime()),
    geheimGewisseldOp: v.row.geheim_gewisseld_op === null ? null : formatInstant(v.row.geheim_gewisseld_op.getTime()),
    vorigGeheimGeldigTot: v.row.vorig_geheim_tot === null ? null : formatInstant(v.row.vorig_geheim_tot.getTime()),
    ...(geheim === undefined ? {} : { geheim }),
    ...(v.row.bron !== 'topdesk' ? {} : { topdesk: topdeskOf(v.row) })
  })
  const at = (d: Date | null): string | null => (d === null ? null : formatInstant(d.getTime()))
  const topdeskOf = (r: KoppelingView['row']): NonNullable<Koppeling['topdesk']> | null => (r.topdesk_url === null || r.topdesk_gebruiker === null
    ? null
    : {
        url: r.topdesk_url,
        gebruiker: r.topdesk_gebruiker,
        filter: r.topdesk_filter,
        wachtwoordIngesteld: r.topdesk_wachtwoord_versleuteld !== null,
        status: r.topdesk_status,
        laatsteSucces: at(r.topdesk_laatste_succes),
        laatsteFout: r.topdesk_laatste_fout === null || r.topdesk_laatste_fout_op === null ? null : { op: formatInstant(r.topdesk_laatste_fout_op.getTime()), reden: r.topdesk_laatste_fout },
        cursor: at(r.topdesk_cursor)
      })
  const importOf = (i: TopdeskImportRow): TopdeskImportApi => ({
    id: i.id,
    koppeling: i.koppeling_id,
    vanaf: formatInstant(i.vanaf.getTime()),
    status: i.status,
    gelezen: i.gelezen,
    vertaald: i.vertaald,
    bekend: i.bekend,
    fouten: i.fouten,
    totaal: i.totaal,
    laatsteFout: i.laatste_fout,
    pogingen: i.pogingen,
    aangemaaktOp: formatInstant(i.aangemaakt_op.getTime()),
    bijgewerktOp: formatInstant(i.bijgewerkt_op.getTime()),
    klaarOp: at(i.klaar_op),
    verwachtEinde: (() => { const e = verwachtEinde(i, app.clock()); return e === null ? null : formatInstant(e) })()
  })
  const noKey = (err: unknown): never => {
    if (err instanceof GeenSleutelError) throw problem(503, err.message)
    throw err
  }
  const inboundKey = (request: FastifyRequest) => (err: unknown): never => {
    if (err instanceof GeheimOnleesbaarError) {
      request.log.error({ koppeling: err.koppelingId }, err.message)
      throw problem(503, 'this koppeling\'s secret cannot be checked now; the operator has been told')
    }
    return noKey(err)
  }

  app.post('/koppelingen', {
    config: { access: WRITERS },
    schema: {
      tags: ['koppelingen'], summary: 'Connect a ticket tool (TOPdesk, Jira, Zendesk) to a contract',
      description: 'The answer holds the shared secret `geheim` (given, or made when left out): it is never shown again. The tool sends its webhooks to `berichtenUrl`.',
      body: NewKoppelingSchema,
      response: { 201: Type.Ref('Koppeling'), ...problemResponses(400, 415), 403: TOPDESK_403, 503: NO_KEY_503 }
    }
  }, async (request, reply) => {
    // The schema holds each prioriteit to 1–4.
    const b = request.body
    onlyBeheerderReadsTopdesk(request.principal?.rol, b.topdesk)
    const { view, geheim } = await createKoppeling(app.db, opts.geheimenSleutel, { ...b, vertaling: b.vertaling as VertalingPatch | undefined }, scopeOf(request.principal), request.principal?.keyId ?? null, app.clock()).catch(noKey)
    return reply.code(201).header('location', `/api/v1/koppelingen/${view.row.id}`).send(toApi(view, geheim))
  })

  app.get('/koppelingen', {
    config: { access: READERS },
    schema: {
      tags: ['koppelingen'], summary: 'List koppelingen, oldest first',
      querystring: Type.Object({ ...PaginationQuery, contract: Type.Optional(Uuid) }, { additionalProperties: false }),
      response: { 200: Collection(Type.Ref('Koppeling')), ...problemResponses(400) }
    }
  }, async (request, reply) => {
    const { views, total } = await koppelingenList(app.db, offsetOf(request.query), scopeOf(request.principal), request.query.contract)
    setPageLinks(request, reply, request.query, total)
    return { resultaten: views.map((v) => toApi(v)), aantal: total }
  })

  app.get('/koppelingen/:id', {
    config: { access: READERS },
    schema: {
      tags: ['koppelingen'], summary: 'One koppeling with every version of its translation', params: IdParams,
      response: { 200: Type.Ref('Koppeling'), ...problemResponses(400, 404) }
    }
  }, async (request) => toApi(await koppelingView(app.db, request.params.id, scopeOf(request.principal))))

  app.patch('/koppelingen/:id', {
    config: { access: WRITERS },
    schema: {
      tags: ['koppelingen'], summary: 'Rename a koppeling, or add a version of its translation from now on',
      description: 'A change of the translation is a new version; earlier ones stay readable. Messages that failed can then be processed again.',
      params: IdParams, body: PatchKoppelingSchema,
      response: { 200: Type.Ref('Koppeling'), ...problemResponses(400, 404, 415), 403: TOPDESK_403 }
    }
  }, async (request) => onlyBeheerderReadsTopdesk(request.principal?.rol, request.body.topdesk) ?? toApi(await patchKoppeling(app.db, request.params.id, { naam: request.body.naam, vertaling: request.body.vertaling as VertalingPatch | undefined, topdesk: request.body.topdesk }, scopeOf(request.principal), request.principal?.keyId ?? null, app.clock(), opts.geheimenSleutel).catch(noKey)))

  const ImportParams = Type.Object({ id: Uuid, importId: Uuid }, { additionalProperties: false })

  app.post('/koppelingen/:id/importen', {
    config: { access: WRITERS },
    schema: {
      tags: ['koppelingen'], summary: 'Import the history of a TOPdesk koppeling from a date on (a background job)',
      description: 'Reads every incident modified on or after `vanaf` (midnight Europe/Amsterdam) that matches the koppeling\'s `topdesk.filter`, with its progress trail, through the same inbox and translation as pushes (marked `import`): what was pushed or read before is not doubled. Answered at once with the import (202, `bezig`); follow it at `Location`. Resumed after a restart; cancellable.',
      params: IdParams, body: NewImportSchema,
      response: {
        202: Type.Ref('TopdeskImport'),
        ...problemResponses(400, 404, 415),
        409: Type.Unsafe({ ...Type.Ref('Problem'), description: 'The koppeling has no TOPdesk read access (`topdesk`)' })
      }
    }
  }, async (request, reply) => {
    const vanaf = DateTime.fromISO(request.body.vanaf, { zone: 'Europe/Amsterdam' }).toMillis()
    const i = await startImport(app.db, request.params.id, vanaf, scopeOf(request.principal), app.clock())
    return await reply.code(202).header('location', `/api/v1/koppelingen/${i.koppeling_id}/importen/${i.id}`).send(importOf(i))
  })

  app.get('/koppelingen/:id/importen/:importId', {
    config: { access: READERS },
    schema: {
      tags: ['koppelingen'], summary: 'The progress of a history import', params: ImportParams,
      response: { 200: Type.Ref('TopdeskImport'), ...problemResponses(400, 404) }
    }
  }, async (request) => importOf(await importView(app.db, request.params.id, request.params.importId, scopeOf(request.principal))))

  const annuleren = {
    config: { access: WRITERS },
    schema: {
      tags: ['koppelingen'], summary: 'Cancel a history import (what was read stays)', params: ImportParams,
      description: 'An import `bezig` becomes `geannuleerd`; the job stops after the page it is reading. One that ended is answered as it is.',
      response: { 200: Type.Ref('TopdeskImport'), ...problemResponses(400, 404) }
    }
  } as const
  app.delete('/koppelingen/:id/importen/:importId', annuleren, async (request) =>
    importOf(await annuleerImport(app.db, request.params.id, request.params.importId, scopeOf(request.principal), app.clock())))
  app.post('/koppelingen/:id/importen/:importId/annuleren', annuleren, async (request) =>
    importOf(await annuleerImport(app.db, request.params.id, request.params.importId, scopeOf(request.principal), app.clock())))

  app.post('/koppelingen/:id/geheim', {
    config: { access: WRITERS },
    schema: {
      tags: ['koppelingen'], summary: 'Replace the shared secret; the previous one stays accepted for a while',
      description: 'The answer holds the new `geheim` (given, or made when left out): it is never shown again. The previous secret keeps being accepted until `vorigGeheimGeldigTot` (`overlap`, default PT24H, at most PT168H; PT0S refuses it at once), so the tool can be switched over without refused deliveries. A secret replaced before is forgotten.',
      params: IdParams, body: WisselGeheimSchema,
      response: { 200: Type.Ref('Koppeling'), ...problemResponses(400, 404, 415), 503: NO_KEY_503 }
    }
  }, async (request) => {
    const b = request.body
    const overlapMs = b.overlap === undefined ? undefined : parseDuration(b.overlap, 'overlap')
    const { view, geheim } = await wisselGeheim(app.db, opts.geheimenSleutel, request.params.id, { geheim: b.geheim, overlapMs }, scopeOf(request.principal), app.clock()).catch(noKey)
    return toApi(view, geheim)
  })

  app.post('/koppelingen/:id/berichten', {
    // No API key: the tool proves itself with the koppeling's secret (signature or Bearer secret).
    config: { access: 'public' },
    schema: {
      tags: ['koppelingen'], summary: 'Inbound webhook of the ticket tool, authenticated by the koppeling\'s secret',
      description: 'Jira: `X-Hub-Signature: sha256=<hex HMAC-SHA256(geheim, body)>`. Zendesk: `X-Zendesk-Webhook-Signature` = base64 HMAC-SHA256(geheim, timestamp + body), the timestamp at most 5 minutes from now. TOPdesk: `Authorization: Bearer <geheim>`. A bad or missing signature, or an unknown koppeling: 401 with one fixed text, nothing stored. An accepted message is stored first, then processed (one at a time per ticket and per delivery, in the tool\'s order): processed within `KOPPELING_ANTWOORD_MS` (default 50 ms from arrival), the answer is `200` with the outcome; else `202` `ontvangen` and processing goes on (the inbox shows the outcome later). Both mean the tool need not send it again.',
      params: IdParams,
      response: {
        200: Type.Object({ id: Uuid, resultaat: Type.Union([Type.Literal('verwerkt'), Type.Literal('dubbel'), Type.Literal('fout')]), reden: Type.Union([Type.String(), Type.Null()]) }, { description: 'Stored and processed: the outcome (`fout` with its reason in the inbox, to process again after fixing the translation)' }),
        202: { ...Ontvangen, description: 'Stored, not processed yet within the time budget: processing goes on (or, after a failure or restart, the job does it); the outcome shows in the inbox' },
        401: Type.Unsafe({ ...Type.Ref('Problem'), description: 'A bad or missing signature or secret (or an unknown koppeling): nothing is stored' }),
        ...problemResponses(400, 413, 415), 503: NO_KEY_503
      }
    }
  }, async (request, reply) => {
    const raw = request.rawBody
    if (raw === null) throw problem(400, 'the body must be JSON', [{ name: 'body', reason: 'is required' }])
    const out = await verwerking.ontvang(opts.geheimenSleutel, request.params.id, raw, request.body, request.headers, app.clock(), () => reply.elapsedTime).catch(inboundKey(request))
    if (!out.ok) {
      // Why, for whoever sets the tool up; never the secret, never in the answer.
      request.log.debug({ koppeling: request.params.id, reden: out.reden }, 'inbound message refused')
      throw problem(401, REFUSED)
    }
    const b = out.bericht
    if (b.resultaat === 'ontvangen') return await reply.code(202).send({ id: b.id, resultaat: 'ontvangen' as const, reden: null })
    return await reply.code(200).send({ id: b.id, resultaat: b.resultaat, reden: b.reden })
  })

  app.get('/koppelingen/:id/berichten', {
    config: { access: INBOX_READERS },
    schema: {
      tags: ['koppelingen'], summary: 'The inbox: every accepted message as received, with its outcome', params: IdParams,
      description: `Beheerder keys, and leverancier keys for their own contracts' koppelingen: the bodies hold personal data. At most ${MAX_BERICHTEN_PAGE} messages per page.`,
      querystring: Type.Object({
        ...PaginationQuery,
        pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_BERICHTEN_PAGE, default: MAX_BERICHTEN_PAGE, description: `messages per page, at most ${MAX_BERICHTEN_PAGE}` })),
        resultaat: Type.Optional(BerichtResultaat)
      }, { additionalProperties: false }),
      response: { 200: Collection(Type.Ref('Bericht')), ...problemResponses(400, 404) }
    }
  }, async (request, reply) => {
    const { rows, total } = await berichtenList(app.db, request.params.id, scopeOf(request.principal), request.query.resultaat, offsetOf(request.query))
    setPageLinks(request, reply, request.query, total)
    return { resultaten: rows.map(bericht), aantal: total }
  })

  app.post('/koppelingen/:id/berichten/:berichtId/herverwerken', {
    config: { access: WRITERS },
    schema: {
      tags: ['koppelingen'], summary: 'Process a failed message again with the translation as it is now',
      description: 'A message that was processed is answered as it is: a repeat never makes a second melding or event. One still `ontvangen` is processed now, after the earlier ones of its ticket. One whose body was cleared after the retention term cannot be processed again: 409.',
      params: BerichtParams,
      response: {
        200: Type.Ref('Bericht'),
        ...problemResponses(400, 404),
        409: Type.Unsafe({ ...Type.Ref('Problem'), description: 'The message\'s body was cleared after the retention term (only its SHA-256 and outcome are kept): it cannot be processed again' })
      }
    }
  }, async (request) => {
    return bericht(await herverwerk(app.db, request.params.id, request.params.berichtId, scopeOf(request.principal), app.clock()))
  })

  app.post('/koppelingen/:id/berichten/herverwerken', {
    config: { access: WRITERS },
    schema: {
      tags: ['koppelingen'], summary: 'Process failed messages of the koppeling again, at most 100 per call',
      description: 'The least recently tried first, those in the tool\'s order; each in a transaction of its own, and one that fails again does not stop the others. Messages whose body was cleared after the retention term are not tried. The answer holds their outcomes (without bodies) and `resterend`: the failed messages this call did not try (call again).',
      params: IdParams,
      response: {
        200: Type.Object({
          resultaten: Type.Array(Type.Ref('BerichtUitkomst')),
          aantal: Type.Integer({ minimum: 0, description: 'the number of messages tried in this call' }),
          resterend: Type.Integer({ minimum: 0, description: 'failed messages not tried in this call' })
        }),
        ...problemResponses(400, 404)
      }
    }
  }, async (request) => {
    const { rows, resterend } = await herverwerkAlle(app.db, request.params.id, scopeOf(request.principal), app.clock())
    return { resultaten: rows.map(uitkomst), aantal: rows.length, resterend }
  })
}

export default koppelingen
