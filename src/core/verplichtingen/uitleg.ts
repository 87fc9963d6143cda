import { DateTime } from 'luxon'
import { formatInstant, type Instant } from '../time.js'
import { isInbreuk, regelVan, type Verplichting, type VerplichtingSoort, type VerplichtingStatus } from './types.js'

/**
 * An obligation in words (Dutch, for the contract manager): what is due when and why, which
 * werkdagen counted and which holidays were skipped, and how it stands. Times in `timeZone`.
 */
export function uitlegVan (v: Verplichting, timeZone: string): string {
  const dag = (d: string): string => DateTime.fromISO(d, { zone: timeZone }).setLocale('nl').toFormat('ccc d MMM yyyy')
  const tijd = (t: Instant): string => DateTime.fromMillis(t, { zone: timeZone }).setLocale('nl').toFormat('ccc d MMM yyyy HH:mm')
  const uiterlijk = `uiterlijk ${dag(v.verwachtDatum)} 24:00`
  const g = v.grondslag
  let waarom: string
  switch (g.regel) {
    case 'R-VPL-1':
      waarom = g.eersteJaar
        ? `Upgradebeleid voor ${g.jaar}: het eerste jaar bij de start van het contract, ${uiterlijk} (3.7, R-VPL-1).`
        : `Upgradebeleid voor ${g.jaar}: gedeeld voordat het jaar begint, ${uiterlijk} (3.7, R-VPL-1).`
      break
    case 'R-VPL-2': {
      const besluit = g.geaccepteerdOp !== null
        ? `expliciet geaccepteerd op ${tijd(g.geaccepteerdOp)}`
        : g.afgekeurdOp !== null
          ? `afgekeurd op ${tijd(g.afgekeurdOp)}: nooit geaccepteerd`
          : `stilzwijgend geaccepteerd op ${tijd(v.verwachtOp)}, 3 weken (21 kalenderdagen, zelfde kloktijd) na beschikbaar op test`
      const install = v.vervuldOp === null
        ? 'Nog niet op productie.'
        : `Op productie vanaf ${tijd(v.vervuldOp)}${v.status === 'te-vroeg' ? ': vóór de acceptatie, een inbreuk op 3.7' : ''}${g.overtredingen.length > 0 ? `; installatie ${g.overtredingen.map((o) => o === 'binnen-kantooruren' ? 'binnen kantooruren' : 'langer dan 4 uur').join(' en ')}` : ''}.`
      waarom = `Release ${v.onderwerp} op test vanaf ${tijd(g.opTestOp)}, ${besluit} (3.7, R-VPL-2). ${install}`
      break
    }
    case 'R-VPL-3-jaar':
      waarom = `${g.niveau === 'strategisch' ? 'Strategisch overleg, ten minste 1x' : 'Tactisch overleg, ten minste 4x'} per kalenderjaar` +
        `${g.vereist !== (g.niveau === 'strategisch' ? 1 : 4) ? ` (in ${g.jaar} loopt het contract een deel van het jaar: ${g.vereist}x)` : ''}; nummer ${g.nummer} van ${g.jaar}, ${uiterlijk} (6.2, R-VPL-3).`
      break
    case 'R-VPL-3-zes-weken':
      waarom = `Operationeel overleg 1x per 6 weken: 42 dagen na ${g.vorige === null ? 'de start van het contract' : `het vorige overleg van ${dag(g.vorige)}`}, ${uiterlijk} (6.2, R-VPL-3).`
      break
    case 'R-VPL-3-verslag':
      waarom = `Verslag van het ${g.niveau} overleg van ${dag(g.datum)}: binnen 5 werkdagen, geteld ${g.werkdagen.map(dag).join(', ')}` +
        `${g.overgeslagen.length > 0 ? `; overgeslagen ${g.overgeslagen.map((o) => `${dag(o.datum)} (${o.naam})`).join(', ')}` : ''}; ${uiterlijk} (6.2, R-VPL-3).`
      break
    case 'R-VPL-4-tpm':
      waarom = `Third Party Mededeling (ISAE 3000 of 3402): uiterlijk 12 maanden na ${g.vorige === null ? 'de start van het contract' : `de vorige van ${tijd(g.vorige)}`}, ${uiterlijk} (7.2, R-VPL-4).`
      break
    case 'R-VPL-4-iso27001':
      waarom = `ISO 27001-certificaat geldig tot en met ${dag(g.geldigTot)}: een nieuw certificaat ${uiterlijk} (7.2, R-VPL-4).`
      break
    case 'R-VPL-5':
      waarom = `Restoretest ${g.kwartaal}: ten minste één (deels) geslaagde per kwartaal, ${uiterlijk} (7.4, R-VPL-5).`
      break
    case 'R-VPL-6-overbrugging':
      waarom = `Verzoek om een overbruggingsperiode door de gemeente: niet later dan 3 maanden voor de einddatum ${dag(g.einddatum)}, ${uiterlijk} (8.1, R-VPL-6).`
      break
    case 'R-VPL-6-overdracht':
      waarom = `Overdracht van alle data aan het einde van de looptijd, einddatum ${dag(g.einddatum)}: bevestigd ${uiterlijk} (8, R-VPL-6).`
      break
    case 'R-VPL-6-vernietiging':
      waarom = `Verklaring van vernietiging binnen 1 maand na de bevestiging van de overdracht op ${tijd(g.overdrachtBevestigdOp)}, ${uiterlijk} (8, R-VPL-6).`
      break
  }
  if (g.regel === 'R-VPL-2') return v.status === 'afgekeurd' ? `${waarom} Niet geïnstalleerd.` : waarom
  const stand = v.status === 'open'
    ? 'Nog open.'
    : v.status === 'op-tijd'
      ? `Op tijd: ${tijd(v.vervuldOp as Instant)}.`
      : v.status === 'te-laat'
        ? `Te laat: ${tijd(v.vervuldOp as Instant)}, ${v.dagenTeLaat} ${v.dagenTeLaat === 1 ? 'dag' : 'dagen'} na de uiterste datum.`
        : `Verlopen: ontbreekt, ${v.dagenTeLaat} ${v.dagenTeLaat === 1 ? 'dag' : 'dagen'} na de uiterste datum.`
  return `${waarom} ${stand}`
}

/** An obligation as the API and the quarterly report show it: ISO instants, its rule and its explanation in words. */
export interface VerplichtingWeergave {
  soort: VerplichtingSoort
  onderwerp: string
  verwachtOp: string
  verwachtDatum: string
  vervuldOp: string | null
  status: VerplichtingStatus
  inbreuk: boolean
  dagenTeLaat: number
  regel: string
  uitleg: string
}

export function verplichtingWeergave (v: Verplichting, timeZone: string): VerplichtingWeergave {
  return {
    soort: v.soort,
    onderwerp: v.onderwerp,
    verwachtOp: formatInstant(v.verwachtOp),
    verwachtDatum: v.verwachtDatum,
    vervuldOp: v.vervuldOp === null ? null : formatInstant(v.vervuldOp),
    status: v.status,
    inbreuk: isInbreuk(v),
    dagenTeLaat: v.dagenTeLaat,
    regel: regelVan(v),
    uitleg: uitlegVan(v, timeZone)
  }
}
