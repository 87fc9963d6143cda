import { DateTime } from 'luxon'
import { formatDuration, formatInstant, SLA_TIME_ZONE, type BronAfwijkingReden, type BronVergelijking, type Duration } from '../../core/index.js'

/** A melding's `bron` block: the ticket tool's own deadlines against ours, with the comparison in words. */

const KLOK: Record<BronVergelijking['klok'], string> = { reactie: 'de reactie', functieherstel: 'het functieherstel' }

const REDEN: Record<BronAfwijkingReden, string> = {
  'pauze-niet-geteld': 'de bron telt de pauze (wachten op de gemeente) niet als stilstand: onze uiterste tijd zonder pauze is die van de bron',
  'feestdag-niet-geteld': 'de bron telt een feestdag of gesloten dag als werkdag: onze uiterste tijd met die dagen als werkdag is die van de bron',
  'klok-loopt-altijd': 'de bron telt de norm 24 uur per dag, niet in kantooruren',
  'andere-norm': 'de bron rekent met een andere norm dan het contract',
  'prioriteit-gewijzigd': 'de prioriteit is gewijzigd en de bron rekent nog (of al) met een andere prioriteit'
}

/** The likely reason in a few words, for tables (CSV, PDF). */
export const BRON_REDEN_KORT: Record<BronAfwijkingReden, string> = {
  'pauze-niet-geteld': 'bron telt de pauze niet',
  'feestdag-niet-geteld': 'bron telt een feestdag als werkdag',
  'klok-loopt-altijd': 'bron telt 24 uur per dag',
  'andere-norm': 'bron rekent met een andere norm',
  'prioriteit-gewijzigd': 'prioriteit gewijzigd'
}

const local = (t: number): string => DateTime.fromMillis(t, { zone: SLA_TIME_ZONE }).setLocale('nl').toFormat('d LLLL yyyy HH:mm:ss')

/** A duration in Dutch words: `2 uur 15 minuten`, `40 seconden`. */
export function duurInWoorden (d: Duration): string {
  const s = Math.round(d / 1000)
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const sec = s % 60
  const parts = [h > 0 ? `${h} uur` : '', m > 0 ? `${m} ${m === 1 ? 'minuut' : 'minuten'}` : '', sec > 0 || (h === 0 && m === 0) ? `${sec} ${sec === 1 ? 'seconde' : 'seconden'}` : '']
  return parts.filter((p) => p !== '').join(' ')
}

export function toelichting (b: BronVergelijking): string {
  const bron = `De bron geeft als uiterste tijd voor ${KLOK[b.klok]} ${local(b.bron)}`
  if (b.eigen === null || b.verschil === null) return `${bron}; onze uiterste tijd staat nu niet vast (de klok is gepauzeerd of heeft geen norm).`
  const ons = `wij ${local(b.eigen)}`
  if (!b.afwijkend) return `${bron}, ${ons}: gelijk${b.verschil === 0 ? '' : ` (${duurInWoorden(Math.abs(b.verschil))} verschil, binnen de marge van een minuut)`}.`
  const richting = b.verschil > 0 ? 'later' : 'eerder'
  const waarom = b.reden === null
    ? 'de oorzaak is niet af te leiden uit wat de bron meldt'
    : `waarschijnlijk: ${REDEN[b.reden]}${b.volgensPrioriteit === null ? '' : ` (de bron rekent als prioriteit ${b.volgensPrioriteit})`}`
  return `${bron}, ${ons}: ${duurInWoorden(Math.abs(b.verschil))} ${richting}; ${waarom}.`
}

export function bronToApi (list: readonly BronVergelijking[]) {
  if (list.length === 0) return null
  return {
    deadlines: list.map((b) => ({
      klok: b.klok,
      bron: formatInstant(b.bron),
      bronNorm: b.bronNorm === null ? null : formatDuration(b.bronNorm),
      bronGezienOp: formatInstant(b.bronOp),
      eigen: b.eigen === null ? null : formatInstant(b.eigen),
      eigenNorm: b.eigenNorm === null ? null : formatDuration(b.eigenNorm),
      verschil: b.verschil === null ? null : formatDuration(Math.abs(b.verschil)),
      richting: b.verschil === null ? null : b.verschil > 0 ? 'bron-later' as const : b.verschil < 0 ? 'bron-eerder' as const : 'gelijk' as const,
      afwijkend: b.afwijkend,
      reden: b.reden,
      volgensPrioriteit: b.volgensPrioriteit,
      toelichting: toelichting(b)
    }))
  }
}
