import { slaCalendar } from '../adapters/holidays/sla-calendars.js'
import { HOUR, MINUTE, periodInterval, SLA_TIME_ZONE, STANDAARD_NORMEN, type BivAspect, type GebeurtenisType, type MeldingStatus, type Prioriteit, type Sluitreden } from '../core/index.js'

/**
 * A realistic synthetic quarter for the demo (and the report benchmark): meldingen of every type
 * and priority with lifecycles in business time (reaction, work, waiting on the gemeente,
 * progress updates, resolution, acceptance or silence, now and then a reopening or a breach), a
 * few security incidents, diensten with minute samples and some outages, maintenance, a restore
 * test and a user report. Seeded: the same seed gives the same quarter.
 */

/** A small seeded PRNG (mulberry32). */
export function mulberry32 (seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface DemoEvent { type: GebeurtenisType, op: string, status?: MeldingStatus, prioriteit?: Prioriteit, sluitreden?: Sluitreden, toelichting?: string, kenmerk: string }
export interface DemoMelding {
  kenmerk: string
  onderwerp: string
  type: 'verstoring' | 'beveiligingsincident' | 'vraag' | 'wens' | 'opdracht'
  omgeving: 'productie' | 'test'
  prioriteit?: Prioriteit
  gemeldOp: string
  beveiliging?: { biv: BivAspect[], major: boolean }
  events: DemoEvent[]
}
export interface DemoDienst {
  naam: string
  omgeving: 'productie' | 'test'
  /** Outages as [start, minutes], unknown stretches (probe down) as [start, minutes]. */
  storingen: Array<[number, number]>
  gaten: Array<[number, number]>
  /** Typical response time in ms. */
  respons: number
}

const ONDERWERPEN: Record<DemoMelding['type'], string[]> = {
  verstoring: ['Zaken openen niet in het zaaksysteem', 'Burgerportaal geeft foutmelding bij inloggen met DigiD', 'Koppeling met BRP levert geen gegevens', 'Documenten worden niet opgeslagen', 'Traag scherm bij zoeken op BSN', 'StUF-berichten blijven in de wachtrij', 'Afdrukken van besluiten mislukt', 'Notificaties naar behandelaars komen niet aan', 'Kaartlaag in het portaal laadt niet', 'Exportbestand voor de archiefdienst is leeg'],
  beveiligingsincident: ['Verdachte inlogpogingen op beheeraccount', 'Datalek: export zichtbaar voor verkeerde afdeling', 'Kwetsbaarheid in gebruikte bibliotheek (CVE) actief misbruikt'],
  vraag: ['Hoe pas ik een zaaktype aan?', 'Vraag over autorisatie van nieuwe medewerkers', 'Welke velden gaan mee in de export?', 'Vraag over de bewaartermijn van documenten'],
  wens: ['Wens: filter op behandelaar in werkvoorraad', 'Wens: bulkacties op zaken', 'Wens: extra veld op het aanvraagformulier'],
  opdracht: ['Opdracht: nieuw zaaktype Omgevingswet inrichten', 'Opdracht: gebruikers overzetten naar nieuwe afdeling', 'Opdracht: testomgeving verversen met productiedata (geanonimiseerd)']
}

export interface DemoKwartaal {
  meldingen: DemoMelding[]
  diensten: DemoDienst[]
  onderhoud: Array<{ dienst: string, van: string, tot: string, soort: 'onderhoud' | 'upgrade', toelichting: string }>
  uitsluitingen: Array<{ dienst: string, van: string, tot: string, reden: 'verzoek-gemeente' | 'gemeentelijke-infrastructuur', toelichting: string }>
  restoretests: Array<{ kenmerk: string, uitgevoerdOp: string, resultaat: 'geslaagd' | 'deels-geslaagd' | 'mislukt', toelichting: string, opvolging: string }>
  gebruikers: { gebruikers: number, rechten: Array<{ recht: string, gebruikers: number }>, gevolgen: string }
}

const iso = (t: number): string => new Date(t).toISOString()

/**
 * The synthetic quarter. Events later than `now` are left out (they have not happened yet).
 * @param count the number of meldingen
 */
export function demoKwartaal (periode: string, now: number, opts: { seed?: number, meldingen?: number, diensten?: number } = {}): DemoKwartaal {
  const rnd = mulberry32(opts.seed ?? 2026)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T
  const { start, end } = periodInterval(periode, SLA_TIME_ZONE)
  const kantoor = slaCalendar('kantooruren')
  const altijd = slaCalendar('altijd')
  const meldingen: DemoMelding[] = []
  const count = opts.meldingen ?? 320
  const tag = periode.replace('-', '')

  for (let i = 0; i < count; i++) {
    const r = rnd()
    const type: DemoMelding['type'] = i % 120 === 7 ? 'beveiligingsincident' : r < 0.6 ? 'verstoring' : r < 0.82 ? 'vraag' : r < 0.91 ? 'wens' : 'opdracht'
    const omgeving = rnd() < 0.08 ? 'test' : 'productie'
    const p = rnd()
    const prioriteit: Prioriteit | undefined = type === 'verstoring' ? (p < 0.06 ? 1 : p < 0.26 ? 2 : p < 0.74 ? 3 : 4) : type === 'beveiligingsincident' ? 1 : undefined
    // Reported mostly in office hours: a random business instant of the quarter.
    const gemeld = Math.floor(kantoor.deadline(start, rnd() * kantoor.businessTime(start, end - 1)) / 1000) * 1000
    const effective: Prioriteit = omgeving === 'test' ? 4 : prioriteit ?? 3
    const norm = STANDAARD_NORMEN.perPrioriteit[effective]
    const cal = norm.kalender === 'altijd' ? altijd : kantoor
    const events: DemoEvent[] = []
    let k = 0
    const ev = (type: GebeurtenisType, t: number, extra: Partial<DemoEvent> = {}): void => {
      if (t <= now) events.push({ type, op: iso(Math.floor(t / 1000) * 1000), kenmerk: `${tag}-${i}-${++k}`, ...extra })
    }
    // Reaction: usually well within norm, sometimes late.
    const reactieNorm = norm.reactietijd ?? 15 * MINUTE
    const reactie = cal.deadline(gemeld, reactieNorm * (rnd() < 0.06 ? 1.2 + rnd() : 0.1 + rnd() * 0.6))
    ev('reactie', reactie, { toelichting: 'melding in behandeling genomen' })
    ev('status', reactie + MINUTE, { status: 'in-behandeling' })
    // Resolution: most within norm; some need information from the gemeente (a pause).
    const late = rnd() < 0.09
    let used = norm.functiehersteltijd * (late ? 1.1 + rnd() * 0.8 : 0.15 + rnd() * 0.75)
    let t = reactie + MINUTE
    if (rnd() < 0.18) {
      const waitFrom = cal.deadline(gemeld, used * 0.3)
      const waitTo = kantoor.deadline(waitFrom, (1 + rnd() * 10) * HOUR)
      ev('status', waitFrom, { status: 'wachten-op-informatie', toelichting: 'logbestanden opgevraagd bij de gemeente' })
      ev('status', waitTo, { status: 'in-behandeling' })
      used -= cal.businessTime(gemeld, waitFrom)
      t = waitTo
    } else {
      used -= cal.businessTime(gemeld, t)
    }
    const opgelost = cal.deadline(t, Math.max(MINUTE, used))
    // Progress updates for priorities with a cadence; now and then one is missed.
    if (norm.voortgang !== null) {
      for (let u = cal.deadline(gemeld, norm.voortgang); u < opgelost; u = cal.deadline(u, norm.voortgang)) {
        if (rnd() < 0.92) ev('voortgang', u - Math.floor(rnd() * 20) * MINUTE, { toelichting: 'stand van zaken gedeeld' })
      }
    }
    if (type === 'beveiligingsincident') {
      ev('maatregel', opgelost + 2 * 24 * HOUR, { toelichting: pick(['tweestapsverificatie verplicht voor beheeraccounts', 'autorisatiecontrole op exports toegevoegd', 'bibliotheek bijgewerkt en afhankelijkheden gescand']) })
    }
    ev('status', opgelost, { status: 'opgelost', toelichting: 'oorzaak verholpen' })
    const after = rnd()
    if (after < 0.05) {
      // Reopened: the fix did not hold.
      const reopen = kantoor.deadline(opgelost, (2 + rnd() * 6) * HOUR)
      ev('status', reopen, { status: 'in-behandeling', toelichting: 'probleem treedt opnieuw op' })
      const again = cal.deadline(reopen, norm.functiehersteltijd * 0.3 * rnd() + MINUTE)
      ev('status', again, { status: 'opgelost' })
      ev('status', kantoor.deadline(again, 8 * HOUR), { status: 'gesloten', sluitreden: 'oplossing-geaccepteerd' })
    } else if (after < 0.85) {
      ev('status', kantoor.deadline(opgelost, (1 + rnd() * 20) * HOUR), { status: 'gesloten', sluitreden: 'oplossing-geaccepteerd' })
    } // else: no reaction from the gemeente: the closing job closes it after 10 werkdagen (R-SLU-2)

    meldingen.push({
      kenmerk: `${tag}-${String(i + 1).padStart(4, '0')}`,
      onderwerp: pick(ONDERWERPEN[type]),
      type,
      omgeving,
      ...(prioriteit === undefined ? {} : { prioriteit }),
      gemeldOp: iso(gemeld),
      ...(type === 'beveiligingsincident' ? { beveiliging: { biv: rnd() < 0.5 ? ['vertrouwelijkheid'] : ['integriteit', 'beschikbaarheid'], major: rnd() < 0.5 } } : {}),
      events
    })
  }

  const day = 24 * HOUR
  const at = (d: number, h: number): number => start + d * day + h * HOUR
  const namen = ['Zaaksysteem', 'Burgerportaal', 'Documentbeheer', 'Koppelingen (StUF/ZGW)', 'Acceptatieomgeving']
  const n = opts.diensten ?? namen.length
  const diensten: DemoDienst[] = Array.from({ length: n }, (_, i) => ({
    naam: i < namen.length ? namen[i] as string : `Dienst ${String(i + 1).padStart(3, '0')}`,
    omgeving: i === 4 ? 'test' : 'productie',
    storingen: [[at(5 + i * 7, 9 + i), 20 + i * 7], [at(40 + i * 3, 14), 35]],
    gaten: [],
    respons: 140 + i * 35
  }))
  // A bad day for the portal in the second month, a long outage of Documentbeheer, a probe gap.
  diensten[1]?.storingen.push([at(38, 8), 11 * 60 + 40])
  diensten[2]?.storingen.push([at(71, 10), 3 * 60])
  diensten[3]?.gaten.push([at(55, 6), 9 * 60])
  const onderhoud: DemoKwartaal['onderhoud'] = [
    { dienst: namen[0] as string, van: iso(at(20, 21)), tot: iso(at(20, 23.5)), soort: 'onderhoud', toelichting: 'database-onderhoud, deels na 23:00' },
    { dienst: namen[2] as string, van: iso(at(63, 11)), tot: iso(at(63, 16.5)), soort: 'upgrade', toelichting: 'upgrade naar versie 8.2 onder kantoortijd' }
  ]
  const uitsluitingen: DemoKwartaal['uitsluitingen'] = [
    { dienst: namen[0] as string, van: iso(at(47, 12)), tot: iso(at(47, 14)), reden: 'verzoek-gemeente', toelichting: 'restore op verzoek van de gemeente' }
  ]
  const restoretests: DemoKwartaal['restoretests'] = [
    { kenmerk: `${tag}-RT-1`, uitgevoerdOp: iso(at(50, 14)), resultaat: 'geslaagd', toelichting: 'volledige restore van productie naar een geïsoleerde omgeving in 2 uur 10', opvolging: 'geen' }
  ]
  const gebruikers = { gebruikers: 214, rechten: [{ recht: 'behandelaar', gebruikers: 171 }, { recht: 'raadpleger', gebruikers: 36 }, { recht: 'functioneel beheerder', gebruikers: 5 }, { recht: 'applicatiebeheerder leverancier', gebruikers: 2 }], gevolgen: 'geen' }
  return { meldingen, diensten, onderhoud, uitsluitingen, restoretests, gebruikers }
}

/** Minute samples of a dienst over [from, to): down in its outages, missing in its gaps. */
export function* samplesOf (d: DemoDienst, from: number, to: number, seed: number): Generator<{ op: string, beschikbaar: boolean, responstijdMs: number }> {
  const rnd = mulberry32(seed)
  for (let t = from; t < to; t += MINUTE) {
    if (d.gaten.some(([s, m]) => t >= s && t < s + m * MINUTE)) continue
    const down = d.storingen.some(([s, m]) => t >= s && t < s + m * MINUTE)
    // Log-normal-ish response times, slower in office hours.
    const hour = new Date(t).getUTCHours()
    const load = (hour >= 7 && hour <= 15 ? 1.4 : 1) * (1 + 0.15 * Math.sin((t - from) / (40 * 24 * 3_600_000)))
    yield { op: iso(t), beschikbaar: !down, responstijdMs: Math.round(d.respons * load * Math.exp((rnd() - 0.5) * 0.9)) }
  }
}
