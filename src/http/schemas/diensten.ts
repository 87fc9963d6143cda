import { Type, type Static } from 'typebox'
import { Instant, Uuid } from './common.js'
import { Duur } from './kalender.js'

const Omgeving = Type.Enum(['productie', 'test'])

/**
 * A month in Europe/Amsterdam that lies wholly in the years 1970–2199 (UTC) that instants may lie
 * in (src/core/time.ts): January 1970 starts on 31 December 1969 23:00 UTC, so the first is 1970-02.
 */
export const Maand = Type.String({ pattern: '^(1970-(0[2-9]|1[0-2])|(197[1-9]|19[89][0-9]|2[01][0-9]{2})-(0[1-9]|1[0-2]))$', description: 'YYYY-MM, Europe/Amsterdam; from 1970-02 to 2199-12', examples: ['2026-02'] })

export const DienstSchema = Type.Object({
  id: Uuid,
  contract: Uuid,
  naam: Type.String(),
  omgeving: Omgeving,
  meetinterval: Duur,
  aangemaaktOp: Instant
}, { $id: 'Dienst' })
export type Dienst = Static<typeof DienstSchema>

export const NewDienstSchema = Type.Object({
  contract: Uuid,
  naam: Type.String({ minLength: 1, maxLength: 200 }),
  omgeving: Type.Optional(Type.Enum(['productie', 'test'], { default: 'productie' })),
  meetinterval: Type.Optional(Type.String({ format: 'duration', description: 'the probe\'s interval (default PT1M); a sample holds at most twice this long (R-BES-2)' }))
}, { additionalProperties: false })

export const MetingenSchema = Type.Array(Type.Object({
  op: Type.String({ format: 'date-time' }),
  beschikbaar: Type.Boolean(),
  responstijdMs: Type.Optional(Type.Number({ minimum: 0, maximum: 3_600_000 }))
}, { additionalProperties: false }), { minItems: 1, maxItems: 10_000, description: 'up to 10,000 samples, validated and stored as a whole' })

export const UitsluitingSchema = Type.Object({
  id: Uuid, dienst: Uuid, van: Instant, tot: Instant,
  reden: Type.Enum(['verzoek-gemeente', 'gemeentelijke-infrastructuur']),
  toelichting: Type.String(), aangemaaktOp: Instant
}, { $id: 'Uitsluiting' })

export const NewUitsluitingSchema = Type.Object({
  van: Type.String({ format: 'date-time' }),
  tot: Type.String({ format: 'date-time' }),
  reden: Type.Enum(['verzoek-gemeente', 'gemeentelijke-infrastructuur'], { description: 'R-BES-3' }),
  toelichting: Type.Optional(Type.String({ maxLength: 4000 }))
}, { additionalProperties: false })

export const OnderhoudSchema = Type.Object({
  id: Uuid, dienst: Uuid, van: Instant, tot: Instant,
  soort: Type.Enum(['onderhoud', 'upgrade', 'update']),
  omgeving: Omgeving,
  toelichting: Type.String(), aangemaaktOp: Instant
}, { $id: 'Onderhoud' })

export const NewOnderhoudSchema = Type.Object({
  van: Type.String({ format: 'date-time' }),
  tot: Type.String({ format: 'date-time' }),
  soort: Type.Enum(['onderhoud', 'upgrade', 'update']),
  omgeving: Type.Optional(Omgeving),
  toelichting: Type.Optional(Type.String({ maxLength: 4000 }))
}, { additionalProperties: false })

const Periode = Type.Object({ van: Instant, tot: Instant })

/** A month of a dienst (R-BES), as the month endpoint and the quarterly report show it. */
export const MaandProps = {
  maand: Type.String({ examples: ['2026-02'] }),
  beschikbaarheid: Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], { description: 'beschikbaar / (beschikbaar + onbeschikbaar), unrounded (R-BES-4); null without measurements' }),
  dekking: Type.Number({ minimum: 0, maximum: 1, description: '(beschikbaar + onbeschikbaar) / window time left after exclusions (R-BES-4)' }),
  venster: Duur,
  beschikbaar: Duur,
  onbeschikbaar: Duur,
  onbekend: Duur,
  uitgesloten: Duur,
  norm: Type.Number(),
  oordeel: Type.Enum(['behaald', 'niet-behaald', 'onvoldoende-meetdata'], { description: 'R-BES-5' }),
  responstijd: Type.Object({
    aantal: Type.Integer(),
    gemiddeldMs: Type.Union([Type.Number(), Type.Null()]),
    p95Ms: Type.Union([Type.Number(), Type.Null()], { description: 'from a log-scale histogram: at most 4.4 % off' })
  }),
  onderhoudInVenster: Type.Array(Type.Object({
    onderhoud: Uuid, van: Instant, tot: Instant, soort: Type.String(), omgeving: Type.String(),
    inVenster: Duur,
    overtredingen: Type.Array(Type.Enum(['langer-dan-4-uur', 'binnen-kantooruren']), { description: 'upgrades on production (SLA 3.7)' })
  }))
}

export const BeschikbaarheidSchema = Type.Object({
  dienst: Uuid,
  ...MaandProps,
  uitleg: Type.Optional(Type.Array(Type.Object({
    datum: Type.String({ format: 'date' }),
    venster: Periode,
    onbeschikbaar: Type.Array(Periode),
    onbekend: Type.Array(Periode),
    uitgesloten: Type.Array(Periode)
  }), { description: 'per day: the window, downtime, unknown time and the exclusions applied' }))
})
