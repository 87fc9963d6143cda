import { Type, type Static } from 'typebox'
import { Instant } from './common.js'

export const Kalender = Type.Enum(['kantooruren', 'altijd'], {
  description: '`kantooruren`: werkdagen 08:00–18:00 Europe/Amsterdam (R-CAL-3); `altijd`: 24/7 (R-CAL-6)',
  default: 'kantooruren'
})
export const Duur = Type.String({ format: 'duration', description: 'ISO 8601 duration in hours, minutes and seconds (no days): `PT20H`, `PT1H30M`. Kept to the millisecond: the seconds carry a fraction (`PT7H29M59.877S`) only when the duration has one, as a clock read at a "now" with milliseconds does.', examples: ['PT20H'] })

const Periode = Type.Object({ van: Instant, tot: Instant })

export const UitlegSchema = Type.Object({
  kalender: Kalender,
  tijdzone: Type.String(),
  van: Instant,
  tot: Instant,
  geteld: Duur,
  pauzes: Type.Array(Periode),
  dagen: Type.Array(Type.Object({
    datum: Type.String({ format: 'date' }),
    soort: Type.Enum(['werkdag', 'weekend', 'feestdag', 'extra-gesloten']),
    naam: Type.Optional(Type.String({ description: 'the holiday\'s or closed day\'s name' })),
    kantooruren: Type.Optional(Periode),
    geteld: Duur,
    nietGeteld: Type.Array(Type.Object({
      van: Instant,
      tot: Instant,
      duur: Duur,
      reden: Type.Enum(['weekend', 'feestdag', 'extra-gesloten', 'buiten-kantooruren', 'gepauzeerd']),
      naam: Type.Optional(Type.String())
    })),
    toelichting: Type.String({ description: 'the day in one Dutch sentence, in Europe/Amsterdam time' })
  }))
}, { $id: 'Uitleg', description: 'Why a business-time result is what it is: per day what counted and why the rest did not' })
export type Uitleg = Static<typeof UitlegSchema>

const pauzeDescription = 'A pause (R-CLK-3) as an ISO 8601 interval `van/tot`, e.g. `2026-06-03T14:00:00+02:00/2026-06-04T10:00:00+02:00`; repeat for more'

const van = Type.String({ format: 'date-time', description: 'the start: ISO 8601 with an offset' })

/** The options every business-time question shares (after its own parameters, in this order). */
const questionOptions = {
  kalender: Type.Optional(Kalender),
  pauze: Type.Optional(Type.Array(Type.String({ format: 'interval' }), { description: pauzeDescription, maxItems: 100 })),
  uitleg: Type.Optional(Type.Boolean({ description: 'add the explanation', default: false }))
}

export const DeadlineQuery = Type.Object({ van, duur: Duur, ...questionOptions }, { additionalProperties: false })

export const WerktijdQuery = Type.Object({
  van,
  tot: Type.String({ format: 'date-time', description: 'the end (exclusive): ISO 8601 with an offset' }),
  ...questionOptions
}, { additionalProperties: false })

export const DeadlineSchema = Type.Object({
  van: Instant,
  duur: Duur,
  kalender: Kalender,
  deadline: Instant,
  uitleg: Type.Optional(Type.Ref('Uitleg'))
})

export const WerktijdSchema = Type.Object({
  van: Instant,
  tot: Instant,
  kalender: Kalender,
  werktijd: Duur,
  uitleg: Type.Optional(Type.Ref('Uitleg'))
})

export const FeestdagenSchema = Type.Object({
  jaar: Type.Integer(),
  feestdagen: Type.Array(Type.Object({
    datum: Type.String({ format: 'date' }),
    naam: Type.String(),
    weekdag: Type.String({ description: 'Dutch name of the weekday' })
  }))
})
