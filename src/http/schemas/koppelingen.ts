import { Type, type Static } from 'typebox'
import { Instant, Uuid } from './common.js'

const Waarden = Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 50, description: 'status ids or names of the tool, case-insensitive' })

const Veld = Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*$', description: 'a dotted path in the ticket: Jira issue.fields, Zendesk detail, the TOPdesk incident (customfield_10050, tags, optionalFields1.searchlist1)' })
const KoppelingType = Type.Union([Type.Literal('verstoring'), Type.Literal('vraag'), Type.Literal('wens'), Type.Literal('opdracht')])

const statussenFields = {
  reactie: Waarden,
  pauze: Waarden,
  nietPauzerend: Waarden,
  opgelost: Waarden,
  gesloten: Waarden
}

const vertalingFields = {
  prioriteiten: Type.Array(Type.Object({
    waarde: Type.String({ minLength: 1, maxLength: 200, description: 'the tool\'s priority id or name (case-insensitive)' }),
    prioriteit: Type.Integer({ minimum: 1, maximum: 4 })
  }, { additionalProperties: false }), { maxItems: 100, description: 'tool priority (by id or name) → prioriteit 1–4' }),
  prioriteitUitNaam: Type.Boolean({ description: 'also read a leading `P1`…`P4` or `Prioriteit 1`…`4` in the priority name (default for TOPdesk)' }),
  pauzeStatus: Type.Union([Type.Literal('wachten-op-klant'), Type.Literal('wachten-op-informatie')], { description: 'the status a pause becomes' }),
  sluitreden: Type.Union([Type.Literal('oplossing-geaccepteerd'), Type.Literal('akkoord-opdrachtgever')], { description: 'the sluitreden of a close in the tool' }),
  type: Type.Union([Type.Literal('verstoring'), Type.Literal('vraag'), Type.Literal('wens'), Type.Literal('opdracht')], { description: 'the type of a melding unless `typeVeld` gives one' }),
  omgeving: Type.Union([Type.Literal('productie'), Type.Literal('test')], { description: 'the omgeving of a melding unless `omgevingVeld` says test' }),
  typeVeld: Type.Union([Type.Object({
    veld: Veld,
    waarden: Type.Array(Type.Object({
      waarde: Type.String({ minLength: 1, maxLength: 200, description: 'a value of the field (or its option\'s name, value or id), case-insensitive' }),
      type: KoppelingType
    }, { additionalProperties: false }), { maxItems: 100 })
  }, { additionalProperties: false }), Type.Null()], { description: 'which field of the ticket gives the type (Jira issuetype, Zendesk type, TOPdesk callType by default); a value not listed: `type`. null: `type` for every melding' }),
  omgevingVeld: Type.Union([Type.Object({
    veld: Veld,
    test: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 100, description: 'values (any of a list, such as tags) that mean test, case-insensitive' })
  }, { additionalProperties: false }), Type.Null()], { description: 'which field of the ticket says the omgeving; null (default): `omgeving` for every melding' }),
  standaardPrioriteit: Type.Union([Type.Integer({ minimum: 1, maximum: 4 }), Type.Null()], { description: 'the prioriteit of a ticket without one (Zendesk allows none); null (default): such a message is a fout' }),
  bronSla: Type.Object({
    reactie: Waarden,
    functieherstel: Waarden
  }, { additionalProperties: false, description: 'Jira Service Management SLA fields by name per clock: their breachTime is the tool\'s deadline (compared with ours), a reactie SLA\'s first stopTime the reaction (default Time to first response, Time to resolution)' })
}

/** A full translation, as answered. */
export const VertalingSchema = Type.Object({
  ...vertalingFields,
  statussen: Type.Object(statussenFields, { additionalProperties: false, description: 'which statuses mean reactie, pauze, a wait that does not pause (Zendesk hold), opgelost, gesloten (Jira, Zendesk)' })
}, { additionalProperties: false })

/** A translation given in part: the rest is the bron's default (POST) or the latest version's (PATCH). */
export const VertalingPatchSchema = Type.Partial(Type.Object({
  ...vertalingFields,
  statussen: Type.Partial(Type.Object(statussenFields, { additionalProperties: false }))
}, { additionalProperties: false }))

export const Bron = Type.Union([Type.Literal('topdesk'), Type.Literal('jira'), Type.Literal('zendesk')])

const GeheimSchema = Type.String({
  minLength: 24,
  maxLength: 200,
  pattern: '^[\\x21-\\x7E]{24,200}$',
  description: 'the shared secret: 24 to 200 printable ASCII characters without spaces (what an `Authorization: Bearer` header and an HMAC key carry alike); left out, the service makes one. Answered only once'
})

/** TOPdesk REST API read access of a topdesk koppeling (issue 13). */
export const TopdeskToegangSchema = Type.Object({
  url: Type.String({ minLength: 8, maxLength: 500, description: 'the tenant\'s API base, e.g. https://gemeente.topdesk.net/tas/api (https; http only for localhost)' }),
  gebruiker: Type.String({ minLength: 1, maxLength: 200, pattern: '^[^:\\x00-\\x1F]+$', description: 'the login name of the read-only operator account' }),
  applicatiewachtwoord: Type.Optional(Type.String({ minLength: 1, maxLength: 500, pattern: '^[^\\x00-\\x1F]+$', description: 'the operator\'s application password; write-only (never answered), stored encrypted with SLA_GEHEIMEN_SLEUTEL. Required the first time; left out in a PATCH, the stored one stays' })),
  filter: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 2000, pattern: '^[^\\x00-\\x1F]+$' }), Type.Null()], { description: 'a FIQL expression selecting this contract\'s incidents (e.g. `supplier.id==…` or `operatorGroup.id==…`), joined with `;` (and) to the modificationDate condition; null or left out: every incident the account may read' }))
}, { additionalProperties: false, description: 'read access to the TOPdesk REST API, for the reconciliation, history imports and thin pushes' })

export const TopdeskAntwoordSchema = Type.Object({
  url: Type.String(),
  gebruiker: Type.String(),
  filter: Type.Union([Type.String(), Type.Null()]),
  wachtwoordIngesteld: Type.Boolean({ description: 'whether an application password is stored (it is never answered)' }),
  status: Type.Union([Type.Literal('ok'), Type.Literal('fout'), Type.Null()], { description: 'how the last reading of TOPdesk went; null: not read yet' }),
  laatsteSucces: Type.Union([Instant, Type.Null()]),
  laatsteFout: Type.Union([Type.Object({ op: Instant, reden: Type.String() }), Type.Null()]),
  cursor: Type.Union([Instant, Type.Null()], { description: 'every incident modified at or before this was read by the reconciliation' })
})

export const NewKoppelingSchema = Type.Object({
  contract: Uuid,
  bron: Bron,
  naam: Type.String({ minLength: 1, maxLength: 200 }),
  geheim: Type.Optional(GeheimSchema),
  vertaling: Type.Optional(VertalingPatchSchema),
  topdesk: Type.Optional(TopdeskToegangSchema)
}, { additionalProperties: false })

export const WisselGeheimSchema = Type.Object({
  geheim: Type.Optional(GeheimSchema),
  overlap: Type.Optional(Type.String({ format: 'duration', description: 'how long the previous secret stays accepted: PT0S to PT168H, default PT24H' }))
}, { additionalProperties: false })

export const PatchKoppelingSchema = Type.Object({
  naam: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  vertaling: Type.Optional(VertalingPatchSchema),
  topdesk: Type.Optional(TopdeskToegangSchema)
}, { additionalProperties: false, minProperties: 1 })

const VertalingVersieSchema = Type.Object({
  versie: Type.Integer({ minimum: 1 }),
  geldigVanaf: Instant,
  vertaling: VertalingSchema
})

export const KoppelingSchema = Type.Object({
  id: Uuid,
  contract: Uuid,
  bron: Bron,
  naam: Type.String(),
  berichtenUrl: Type.String({ description: 'where the tool sends its webhooks' }),
  vertaling: VertalingSchema,
  versies: Type.Array(VertalingVersieSchema, { description: 'every version of the translation, oldest first; the last one applies' }),
  aangemaaktOp: Instant,
  geheimGewisseldOp: Type.Union([Instant, Type.Null()], { description: 'when the secret was last replaced; null: never' }),
  vorigGeheimGeldigTot: Type.Union([Instant, Type.Null()], { description: 'until when the previous secret is still accepted; null: never replaced' }),
  geheim: Type.Optional(Type.String({ description: 'only in the answer to POST /koppelingen and POST …/geheim: it is never shown again' })),
  topdesk: Type.Optional(Type.Union([TopdeskAntwoordSchema, Type.Null()], { description: 'TOPdesk read access (topdesk koppelingen): null when none was given' }))
}, { $id: 'Koppeling' })
export type Koppeling = Static<typeof KoppelingSchema>

/** A message's outcome: `ontvangen` is stored and not processed yet (processing goes on, or the job takes it). */
export const BerichtResultaat = Type.Union([Type.Literal('ontvangen'), Type.Literal('verwerkt'), Type.Literal('dubbel'), Type.Literal('fout')], {
  description: '`ontvangen`: stored, not processed yet; `verwerkt`; `dubbel`: a delivery already processed; `fout`: not processed, `reden` says why'
})

const berichtFields = {
  id: Uuid,
  koppeling: Uuid,
  ontvangenOp: Instant,
  levering: Type.String({ description: 'the tool\'s delivery id: Jira X-Atlassian-Webhook-Identifier, Zendesk event id, TOPdesk incident id@modificationDate; when absent or blank, sha256:<hash of the body>' }),
  ticket: Type.Union([Type.String(), Type.Null()]),
  volgorde: Type.Union([Instant, Type.Null()], { description: 'the tool\'s own time of the message (Jira timestamp, Zendesk time, TOPdesk modificationDate)' }),
  headers: Type.Record(Type.String(), Type.String()),
  resultaat: BerichtResultaat,
  reden: Type.Union([Type.String(), Type.Null()]),
  verwerktOp: Type.Union([Instant, Type.Null()], { description: 'when the outcome was given; null while `ontvangen`' }),
  inhoudSha256: Type.String({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256 (hex) of the body as received; kept when the body is cleared' }),
  bewaardTot: Type.String({ format: 'date-time', description: 'until when the body is kept: arrival plus the retention term (BERICHTEN_BEWAARTERMIJN_MAANDEN, calendar months, UTC)' }),
  opgeschoondOp: Type.Union([Instant, Type.Null()], { description: 'when the body was cleared after the retention term (BERICHTEN_BEWAARTERMIJN_MAANDEN); null while it is kept' })
}

export const BerichtSchema = Type.Object({
  ...berichtFields,
  inhoud: Type.Union([Type.String(), Type.Null()], { description: 'the body as received; null once cleared after the retention term (see `bewaardTot`, `opgeschoondOp`)' })
}, { $id: 'Bericht' })
export type Bericht = Static<typeof BerichtSchema>

/** A message's outcome without its body (the answer of a bulk reprocessing). */
export const BerichtUitkomstSchema = Type.Object(berichtFields, { $id: 'BerichtUitkomst' })
export type BerichtUitkomst = Static<typeof BerichtUitkomstSchema>

export const ImportStatus = Type.Union([Type.Literal('bezig'), Type.Literal('klaar'), Type.Literal('mislukt'), Type.Literal('geannuleerd')])

export const NewImportSchema = Type.Object({
  vanaf: Type.String({ format: 'date', pattern: '^(19[7-9][0-9]|20[0-9]{2}|21[0-9]{2})-', description: 'read every incident modified on or after this day (midnight Europe/Amsterdam); YYYY-MM-DD, years 1970–2199' })
}, { additionalProperties: false })

export const ImportSchema = Type.Object({
  id: Uuid,
  koppeling: Uuid,
  vanaf: Instant,
  status: ImportStatus,
  gelezen: Type.Integer({ minimum: 0, description: 'incident snapshots read from TOPdesk (a snapshot read twice counts twice)' }),
  vertaald: Type.Integer({ minimum: 0, description: 'snapshots processed into meldingen and events' }),
  bekend: Type.Integer({ minimum: 0, description: 'snapshots already in the inbox (pushed or read before): skipped' }),
  fouten: Type.Integer({ minimum: 0, description: 'snapshots that failed to translate (see the inbox)' }),
  totaal: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], { description: 'how many incidents TOPdesk said there are to read; null: not known yet' }),
  laatsteFout: Type.Union([Type.String(), Type.Null()]),
  pogingen: Type.Integer({ minimum: 0, description: 'failed attempts (TOPdesk unreachable); the job resumes from where it was' }),
  aangemaaktOp: Instant,
  bijgewerktOp: Instant,
  klaarOp: Type.Union([Instant, Type.Null()]),
  verwachtEinde: Type.Union([Instant, Type.Null()], { description: 'estimated end while `bezig`, from the pace so far' })
}, { $id: 'TopdeskImport' })
export type TopdeskImportApi = Static<typeof ImportSchema>
