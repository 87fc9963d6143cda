import { Type, type Static } from 'typebox'
import { BIV_ASPECTEN, BRON_AFWIJKING_REDENEN, BRON_KLOKKEN, GEBEURTENIS_TYPES, MELDING_TYPES, OMGEVINGEN, SLUITREDENEN, STATUSES } from '../../core/index.js'
import { Instant, PaginationQuery, Uuid } from './common.js'
import { Duur, Kalender } from './kalender.js'

const Prioriteit = Type.Integer({ minimum: 1, maximum: 4 })
const NullableInstant = Type.Union([Instant, Type.Null()])
const NullableDuur = Type.Union([Duur, Type.Null()])
export const MeldingType = Type.Enum([...MELDING_TYPES], { description: 'R-PRI-1' })
export const Status = Type.Enum([...STATUSES])
const Omgeving = Type.Enum([...OMGEVINGEN], { description: 'default productie; test is always prioriteit 4 (R-PRI-4)' })

export const BeveiligingSchema = Type.Object({
  biv: Type.Array(Type.Enum([...BIV_ASPECTEN]), { minItems: 1, uniqueItems: true, description: 'which of beschikbaarheid, integriteit and vertrouwelijkheid the incident touched (SLA 7.1, 7.3)' }),
  major: Type.Boolean({ description: 'a major incident: the gemeente\'s CISO is informed at once (SLA 7.3)' })
}, { additionalProperties: false, description: 'only for a beveiligingsincident; measures taken are `maatregel` events' })

const KlokSchema = Type.Object({
  status: Type.Enum(['lopend', 'gepauzeerd', 'behaald', 'verlopen', 'nvt'], { description: 'R-CLK-5' }),
  norm: NullableDuur,
  deadline: Type.Union([Instant, Type.Null()], { description: 'null while paused or not applicable' }),
  verbruikt: NullableDuur,
  resterend: NullableDuur,
  risico: Type.Boolean({ description: 'running with less than 20 % of the norm left' }),
  beslistOp: Type.Union([Instant, Type.Null()], { description: 'R-KPI-1: when it stopped within norm, or its deadline when it ran past it' })
})

export const SlaSchema = Type.Object({
  peilmoment: Instant,
  reactie: KlokSchema,
  functieherstel: KlokSchema,
  voortgang: Type.Object({
    cadans: NullableDuur,
    volgendeOp: NullableInstant,
    gemist: Type.Integer({ minimum: 0 }),
    gemistOp: Type.Array(Instant, { description: 'the due instants that passed without an update (R-COM-2)' })
  }),
  automatischSluitenOp: Type.Union([Instant, Type.Null()], { description: 'R-SLU-2, while opgelost' })
}, { $id: 'Sla' })

const KlokUitleg = Type.Object({
  kalender: Kalender,
  norm: NullableDuur,
  segmenten: Type.Array(Type.Object({ van: Instant, tot: Instant, status: Status, loopt: Type.Boolean() })),
  werktijd: Type.Union([Type.Ref('Uitleg'), Type.Null()], { description: 'day by day; null beyond 400 days' })
})

const BronDeadlineSchema = Type.Object({
  klok: Type.Enum([...BRON_KLOKKEN], { description: 'which of our clocks the tool\'s deadline is compared with' }),
  bron: Instant,
  bronNorm: Type.Union([Duur, Type.Null()], { description: 'the tool\'s own norm, when it says one (JSM goalDuration)' }),
  bronGezienOp: Instant,
  eigen: Type.Union([Instant, Type.Null()], { description: 'our deadline at the peilmoment; null while our clock is paused or has no norm' }),
  eigenNorm: NullableDuur,
  verschil: Type.Union([Duur, Type.Null()], { description: 'how far apart, always positive: see `richting`' }),
  richting: Type.Union([Type.Enum(['bron-later', 'bron-eerder', 'gelijk']), Type.Null()]),
  afwijkend: Type.Boolean({ description: 'more than a minute apart (tools round to minutes)' }),
  reden: Type.Union([Type.Enum([...BRON_AFWIJKING_REDENEN]), Type.Null()], { description: 'the likely reason, when recomputing ours the tool\'s way gives the tool\'s deadline; null when none does' }),
  volgensPrioriteit: Type.Union([Prioriteit, Type.Null()], { description: 'with prioriteit-gewijzigd: the priority whose norm gives the tool\'s deadline' }),
  toelichting: Type.String({ description: 'the comparison in words' })
}, { additionalProperties: false })

export const MeldingSchema = Type.Object({
  id: Uuid,
  contract: Uuid,
  kenmerk: Type.String(),
  onderwerp: Type.String(),
  type: MeldingType,
  omgeving: Omgeving,
  prioriteit: Type.Integer({ minimum: 1, maximum: 4, description: 'in force at the peilmoment (R-PRI-2…5)' }),
  gevraagdePrioriteit: Type.Union([Prioriteit, Type.Null()], { description: 'as asked at registration, kept for the record' }),
  gemeldOp: Instant,
  status: Status,
  actief: Type.Boolean({ description: 'not opgelost or gesloten' }),
  aangemaaktOp: Instant,
  voorwaardenVersie: Type.Integer({ description: 'the version of the contract\'s terms it is judged by' }),
  beveiliging: Type.Union([BeveiligingSchema, Type.Null()]),
  prioriteitBetwist: Type.Array(Instant, { description: 'R-PRI-6: when the gemeente disputed the priority' }),
  afwijkingen: Type.Array(Type.Object({
    soort: Type.Enum(['voor-gemeld', 'na-gesloten']),
    gebeurtenis: Uuid,
    op: Instant
  }), { description: 'R-CLK-7: events that look wrong, kept and used' }),
  sla: Type.Ref('Sla'),
  bron: Type.Union([Type.Object({
    deadlines: Type.Array(BronDeadlineSchema)
  }, { additionalProperties: false }), Type.Null()], { description: 'the ticket tool\'s own deadlines (TOPdesk targetDate, JSM SLA breachTime) against ours, for meldingen made by a koppeling; null when no tool stated one' }),
  uitleg: Type.Optional(Type.Object({
    voorwaarden: Type.Object({ contract: Uuid, versie: Type.Integer(), geldigVanaf: Type.String({ format: 'date' }) }),
    prioriteit: Type.Object({
      prioriteit: Prioriteit,
      regel: Type.String({ description: 'R-PRI-4, R-PRI-2, R-PRI-3 or gevraagd' }),
      historie: Type.Array(Type.Object({ op: Instant, gevraagd: Prioriteit, prioriteit: Prioriteit, regel: Type.String(), gebeurtenis: Uuid }))
    }),
    reactie: KlokUitleg,
    functieherstel: KlokUitleg
  }))
}, { $id: 'Melding' })
export type Melding = Static<typeof MeldingSchema>

export const NewMeldingSchema = Type.Object({
  contract: Uuid,
  kenmerk: Type.String({ minLength: 1, maxLength: 200, description: 'the melding\'s number in the sending system; unique per contract' }),
  onderwerp: Type.String({ maxLength: 1000 }),
  type: MeldingType,
  omgeving: Type.Optional(Omgeving),
  prioriteit: Type.Optional(Type.Integer({ minimum: 1, maximum: 4, description: 'the asked priority; required for a verstoring in productie' })),
  gemeldOp: Type.String({ format: 'date-time', description: 'when the melding reached the supplier (R-CLK-1): ISO 8601 with an offset' }),
  beveiliging: Type.Optional(BeveiligingSchema)
}, { additionalProperties: false })

export const GebeurtenisSchema = Type.Object({
  id: Uuid,
  melding: Uuid,
  kenmerk: Type.Union([Type.String(), Type.Null()]),
  type: Type.Enum([...GEBEURTENIS_TYPES]),
  op: Instant,
  status: Type.Union([Status, Type.Null()]),
  prioriteit: Type.Union([Prioriteit, Type.Null()]),
  sluitreden: Type.Union([Type.Enum([...SLUITREDENEN]), Type.Null()]),
  toelichting: Type.Union([Type.String(), Type.Null()]),
  ontvangenOp: Instant,
  sleutel: Type.Union([Uuid, Type.Null()], { description: 'the key that sent it; null when the service recorded it itself' }),
  bericht: Type.Optional(Type.Union([Uuid, Type.Null()], { description: 'the koppeling message it was derived from (`GET /koppelingen/{id}/berichten`); absent for events sent through the API' }))
}, { $id: 'Gebeurtenis' })
export type GebeurtenisApi = Static<typeof GebeurtenisSchema>

export const NewGebeurtenisSchema = Type.Object({
  type: Type.Enum([...GEBEURTENIS_TYPES]),
  op: Type.String({ format: 'date-time', description: 'when it happened in the sending system: ISO 8601 with an offset' }),
  status: Type.Optional(Status),
  prioriteit: Type.Optional(Prioriteit),
  sluitreden: Type.Optional(Type.Enum([...SLUITREDENEN], { description: 'R-SLU-1, with status gesloten' })),
  toelichting: Type.Optional(Type.String({ maxLength: 4000 })),
  kenmerk: Type.Optional(Type.String({
    minLength: 1,
    maxLength: 200,
    description: 'the event\'s id in the sending system: makes repeats idempotent. Send one to retry safely: ' +
      'an event with a kenmerk the melding has is answered as stored (200), while an event without a kenmerk ' +
      'is stored again on every repeat, because two equal events may both have happened'
  }))
}, { additionalProperties: false })

/**
 * The body of POST /meldingen/{id}/gebeurtenissen: one event, or an array. The route wraps a
 * single object into an array before validation, so Ajv always sees the array branch for it;
 * the union is there so that the OpenAPI document shows both forms.
 */
export const NewGebeurtenissenSchema = Type.Union([
  NewGebeurtenisSchema,
  Type.Array(NewGebeurtenisSchema, { minItems: 1, maxItems: 1000, description: 'up to 1000 events, stored atomically (all or none)' })
], { description: 'one event, or an array of up to 1000 stored atomically (all or none)' })

export const MeldingQuery = Type.Object({
  peilmoment: Type.Optional(Type.String({ format: 'date-time', description: 'compute as if now were this instant, from the events not after it' })),
  uitleg: Type.Optional(Type.Boolean({ default: false, description: 'explain both clocks' }))
}, { additionalProperties: false })

export const MeldingenQuery = Type.Object({
  ...PaginationQuery,
  contract: Type.Optional(Uuid),
  status: Type.Optional(Status),
  prioriteit: Type.Optional(Prioriteit),
  type: Type.Optional(MeldingType),
  gemeldVanaf: Type.Optional(Type.String({ format: 'date-time', description: 'gemeldOp at or after this instant' })),
  gemeldTot: Type.Optional(Type.String({ format: 'date-time', description: 'gemeldOp before this instant' })),
  actief: Type.Optional(Type.Boolean()),
  afwijkend: Type.Optional(Type.Boolean({ description: 'true: only meldingen whose ticket tool states a deadline more than a minute from ours at the peilmoment; false: only those whose tool\'s deadlines agree with ours' })),
  peilmoment: Type.Optional(Type.String({ format: 'date-time' }))
}, { additionalProperties: false })
