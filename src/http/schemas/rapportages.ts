import { Type, type Static } from 'typebox'
import { BRON_AFWIJKING_REDENEN, BRON_KLOKKEN, MELDING_TYPES } from '../../core/index.js'
import type { RapportDocument } from '../../services/rapportages.js'
import { Instant, Uuid } from './common.js'
import { MaandProps } from './diensten.js'
import { Duur } from './kalender.js'
import { OverigeAfsprakenSchema } from './verplichtingen.js'

const Prioriteit = Type.Integer({ minimum: 1, maximum: 4 })
const Aandeel = Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], { description: 'fraction 0..1, unrounded; null when nothing was decided' })
const Oordeel = Type.Enum(['behaald', 'niet-behaald', 'geen-meldingen'], { description: 'R-KPI-3; geen-meldingen when no clock was decided' })
/**
 * A quarter that lies wholly in the years 1970–2199 (UTC) that instants may lie in
 * (src/core/time.ts): 1970-Q1 starts on 31 December 1969 23:00 UTC, so the first is 1970-Q2.
 */
export const Kwartaal = Type.String({ pattern: '^(1970-Q[2-4]|(197[1-9]|19[89][0-9]|2[01][0-9]{2})-Q[1-4])$', description: 'a quarter in Europe/Amsterdam, e.g. 2026-Q1; from 1970-Q2 to 2199-Q4' })

const KpiCel = Type.Object({
  beslist: Type.Integer({ minimum: 0 }),
  binnenNorm: Type.Integer({ minimum: 0 }),
  aandeel: Aandeel,
  meldingenBinnenNorm: Type.Array(Uuid, { description: 'the meldingen behind the count, to check it by hand' }),
  meldingenBuitenNorm: Type.Array(Uuid)
})
const KpiTrendCel = Type.Object({ beslist: Type.Integer({ minimum: 0 }), binnenNorm: Type.Integer({ minimum: 0 }), aandeel: Aandeel })
const KpiProps = {
  norm: Type.Number({ description: 'the prestatienorm (R-KPI-3)' }),
  oordeel: Oordeel,
  perPrioriteit: Type.Array(Type.Object({
    prioriteit: Prioriteit,
    reactie: Type.Union([KpiCel, Type.Null()], { description: 'null for prio 1: no reactie KPI (R-KPI-2)' }),
    functieherstel: KpiCel
  })),
  totaal: Type.Object({ reactie: KpiCel, functieherstel: KpiCel })
}

export const RapportageSchema = Type.Object({
  id: Uuid,
  contract: Uuid,
  contractNaam: Type.String(),
  leverancier: Type.Object({ id: Uuid, naam: Type.String() }),
  periode: Kwartaal,
  versie: Type.Integer({ minimum: 1, description: 'generating again makes a new versie; a stored one never changes' }),
  gegenereerdOp: Instant,
  voorlopig: Type.Boolean({ description: 'made before the first business second after the quarter: the clock may still change the numbers' }),
  van: Instant,
  tot: Instant,
  oordeel: Type.Enum(['behaald', 'niet-behaald', 'onvolledig'], { description: 'behaald when every part is; onvolledig when a part lacks data and none failed' }),
  samenvatting: Type.Array(Type.Object({
    onderdeel: Type.String(),
    oordeel: Type.Enum(['behaald', 'niet-behaald', 'geen-meldingen', 'onvoldoende-meetdata', 'ontbreekt', 'gerapporteerd'], { description: '`gerapporteerd`: shown, never part of the overall verdict (Overige afspraken)' }),
    toelichting: Type.String()
  })),
  kpi: Type.Object({
    ...KpiProps,
    perMaand: Type.Array(Type.Object({
      maand: Type.String(),
      oordeel: Oordeel,
      perPrioriteit: Type.Array(Type.Object({ prioriteit: Prioriteit, reactie: Type.Union([KpiTrendCel, Type.Null()]), functieherstel: KpiTrendCel }))
    }), { description: 'the trend per month (R-KPI-4): counts and shares; the meldingen behind them are listed in the quarter\'s cells' })
  }),
  overschrijdingen: Type.Array(Type.Object({
    melding: Uuid, kenmerk: Type.String(), onderwerp: Type.String(), prioriteit: Prioriteit,
    klok: Type.Enum(['reactie', 'functieherstel']),
    deadline: Instant,
    verbruikt: Type.Union([Duur, Type.Null()], { description: 'business time used once the clock stopped; null while it still runs past its deadline' }),
    norm: Type.Union([Duur, Type.Null()])
  }), { description: 'clocks decided in the quarter that ran past their deadline' }),
  meldingen: Type.Object({
    aantal: Type.Integer({ description: 'meldingen reported in the quarter' }),
    perTypeEnPrioriteit: Type.Array(Type.Object({ type: Type.Enum([...MELDING_TYPES]), prioriteit: Prioriteit, aantal: Type.Integer() }))
  }),
  voortgang: Type.Object({
    gemist: Type.Integer({ description: 'progress updates due in the quarter that were missed (R-COM-2)' }),
    perMelding: Type.Array(Type.Object({ melding: Uuid, kenmerk: Type.String(), prioriteit: Prioriteit, gemist: Type.Integer(), gemistOp: Type.Array(Instant) }))
  }),
  beschikbaarheid: Type.Array(Type.Object({
    dienst: Uuid,
    dienstNaam: Type.String(),
    omgeving: Type.String(),
    ...MaandProps
  }), { description: 'per dienst and month (R-BES), performance included (R-BES-7)' }),
  beveiligingsincidenten: Type.Array(Type.Object({
    melding: Uuid, kenmerk: Type.String(), wat: Type.String(), gemeldOp: Instant,
    biv: Type.Array(Type.String()), major: Type.Boolean(), prioriteit: Prioriteit,
    prioriteitRegel: Type.Optional(Type.Enum(['R-PRI-4', 'R-PRI-2', 'R-PRI-3', 'gevraagd'], { description: 'why that priority: R-PRI-4 a test environment is always prio 4, R-PRI-2 a security incident prio 1, R-PRI-3 none asked (prio 3), gevraagd as asked' })),
    respons: Type.Union([Type.Object({ op: Instant, toelichting: Type.Union([Type.String(), Type.Null()]) }), Type.Null()]),
    opgelostOp: Type.Union([Instant, Type.Null()]),
    functieherstel: Type.Object({ status: Type.String(), verbruikt: Type.Union([Duur, Type.Null()]), norm: Type.Union([Duur, Type.Null()]) }, { description: 'final once resolved; while open, as at the end of the quarter' }),
    maatregelen: Type.Array(Type.Object({ op: Instant, toelichting: Type.String() }))
  }), { description: 'SLA 7.3: reported in the quarter or unresolved when it began' }),
  gebruikers: Type.Union([Type.Object({
    opgegevenOp: Instant, gebruikers: Type.Integer(), rechten: Type.Array(Type.Object({ recht: Type.String(), gebruikers: Type.Integer() })), gevolgen: Type.String()
  }), Type.Null()], { description: 'the last gebruikersopgave of the quarter (SLA 3.8); null when none was given' }),
  restoretests: Type.Object({
    aantal: Type.Integer(),
    oordeel: Type.Enum(['behaald', 'niet-behaald'], { description: 'SLA 7.4: at least one (partly) successful restore test in the quarter' }),
    tests: Type.Array(Type.Object({ id: Uuid, kenmerk: Type.String(), uitgevoerdOp: Instant, resultaat: Type.String(), toelichting: Type.String(), opvolging: Type.String() }))
  }),
  bronAfwijkingen: Type.Optional(Type.Array(Type.Object({
    melding: Uuid,
    kenmerk: Type.String(),
    klok: Type.Enum([...BRON_KLOKKEN]),
    bron: Instant,
    eigen: Instant,
    verschil: Duur,
    richting: Type.Enum(['bron-later', 'bron-eerder']),
    reden: Type.Union([Type.Enum([...BRON_AFWIJKING_REDENEN]), Type.Null()]),
    volgensPrioriteit: Type.Union([Type.Integer({ minimum: 1, maximum: 4 }), Type.Null()])
  }), { description: 'where a ticket tool\'s own deadline (TOPdesk targetDate, JSM breachTime) differs from ours by more than a minute, for meldingen reported in the quarter or whose clock was decided in it; information for the overleg, not part of the verdict. Absent in reports generated before API 1.2.0' })),
  overigeAfspraken: Type.Optional(OverigeAfsprakenSchema),
  herkomst: Type.Object({
    softwareVersie: Type.String(),
    normen: Type.Array(Type.Object({ versie: Type.Integer(), geldigVanaf: Type.String({ format: 'date' }), gebruiktVoor: Type.Array(Type.String()) })),
    invoerHash: Type.String({ description: 'SHA-256 of the inputs: the same inputs give the same hash' }),
    peilmoment: Instant,
    aantallen: Type.Object({ meldingen: Type.Integer(), gebeurtenissen: Type.Integer(), diensten: Type.Integer(), restoretests: Type.Integer() })
  })
}, { $id: 'Rapportage' })

// The service builds the document; the compiler checks that it has the documented shape.
const _shapeMatches = (d: RapportDocument): Static<typeof RapportageSchema> => d
void _shapeMatches

export const RapportageItemSchema = Type.Object({
  id: Uuid, contract: Uuid, periode: Kwartaal, versie: Type.Integer(), gegenereerdOp: Instant,
  gegenereerdDoor: Type.Union([Uuid, Type.Null()]), invoerHash: Type.String()
}, { $id: 'RapportageItem' })

export const NewRapportageSchema = Type.Object({ contract: Uuid, periode: Kwartaal }, { additionalProperties: false })

export const GebruikersopgaveSchema = Type.Object({
  id: Uuid, contract: Uuid, periode: Kwartaal, gebruikers: Type.Integer(),
  rechten: Type.Array(Type.Object({ recht: Type.String(), gebruikers: Type.Integer() })),
  gevolgen: Type.String(), opgegevenOp: Instant
}, { $id: 'Gebruikersopgave' })

export const NewGebruikersopgaveSchema = Type.Object({
  contract: Uuid,
  periode: Kwartaal,
  gebruikers: Type.Integer({ minimum: 0, maximum: 10_000_000, description: 'users that used the software in the quarter' }),
  rechten: Type.Array(Type.Object({
    recht: Type.String({ minLength: 1, maxLength: 200, description: 'a role or right, e.g. beheerder' }),
    gebruikers: Type.Integer({ minimum: 0, maximum: 10_000_000 })
  }, { additionalProperties: false }), { maxItems: 200 }),
  gevolgen: Type.Optional(Type.String({ maxLength: 4000, description: 'consequences, if any (SLA 3.8)' }))
}, { additionalProperties: false })

export const RestoretestSchema = Type.Object({
  id: Uuid, contract: Uuid, kenmerk: Type.String(), uitgevoerdOp: Instant,
  resultaat: Type.Enum(['geslaagd', 'deels-geslaagd', 'mislukt']), toelichting: Type.String(), opvolging: Type.String(), aangemaaktOp: Instant
}, { $id: 'Restoretest' })

export const NewRestoretestSchema = Type.Object({
  contract: Uuid,
  kenmerk: Type.String({ minLength: 1, maxLength: 200, description: 'the test\'s id at the supplier; unique per contract, makes repeats idempotent' }),
  uitgevoerdOp: Type.String({ format: 'date-time' }),
  resultaat: Type.Enum(['geslaagd', 'deels-geslaagd', 'mislukt']),
  toelichting: Type.Optional(Type.String({ maxLength: 4000 })),
  opvolging: Type.Optional(Type.String({ maxLength: 4000, description: 'the follow-up of the outcome (SLA 7.4)' }))
}, { additionalProperties: false })
