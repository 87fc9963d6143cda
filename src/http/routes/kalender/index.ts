import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { DateTime } from 'luxon'
import { Type } from 'typebox'
import { FIRST_YEAR, formatDuration, formatInstant, LAST_YEAR, parseDuration, SLA_TIME_ZONE, type Interval } from '../../../core/index.js'
import { Problems, readInstant, readOptionalInstant } from '../../instants.js'
import { ALL_ROLES } from '../../plugins/auth.js'
import { problemResponses } from '../../schemas/common.js'
import { DeadlineQuery, DeadlineSchema, FeestdagenSchema, WerktijdQuery, WerktijdSchema } from '../../schemas/kalender.js'
import { toUitleg } from './uitleg.js'
import { standardCalendar } from '../../../services/voorwaarden.js'

/**
 * Reads a query whose instants, duration and pauses the schema's formats have checked; what no
 * schema can see, `tot` before `van`, is a 400 too.
 */
function parseQuery (q: { van: string, tot?: string, duur?: string, pauze?: string[] }): { van: number, tot?: number, duur?: number, pauzes: Interval[] } {
  const van = readInstant(q.van)
  const tot = readOptionalInstant(q.tot)
  const pauzes = (q.pauze ?? []).map((text) => {
    const [start, end] = text.split('/').map(readInstant) as [number, number]
    return { start, end }
  })
  const problems = new Problems()
  if (tot !== undefined && tot < van) problems.add('tot', 'lies before van')
  problems.throwIfAny()
  return { van, ...(tot === undefined ? {} : { tot }), ...(q.duur === undefined ? {} : { duur: parseDuration(q.duur, 'duur') }), pauzes }
}

/** The business calendar (R-CAL): holidays, deadlines and business time, with explanations. */
const kalender: FastifyPluginAsyncTypebox = async (app) => {

  app.get('/kalender/feestdagen', {
    config: { access: ALL_ROLES },
    schema: {
      tags: ['kalender'],
      summary: 'The holidays of a year that are no werkdag (R-CAL-2: the Algemene termijnenwet)',
      querystring: Type.Object({ jaar: Type.Integer({ minimum: FIRST_YEAR, maximum: LAST_YEAR }) }, { additionalProperties: false }),
      response: { 200: FeestdagenSchema, ...problemResponses(400) }
    }
  }, async (request) => {
    const cal = standardCalendar('kantooruren')
    return {
      jaar: request.query.jaar,
      feestdagen: cal.closedDays(request.query.jaar).map((d) => ({
        datum: d.date,
        naam: d.name,
        weekdag: DateTime.fromISO(d.date, { zone: SLA_TIME_ZONE }).setLocale('nl').toFormat('cccc')
      }))
    }
  })

  app.get('/kalender/deadline', {
    config: { access: ALL_ROLES },
    schema: {
      tags: ['kalender'],
      summary: 'The deadline of a business duration from an instant (R-CAL-5): the earliest instant that reaches it',
      description: 'Pauses (`pauze`) do not count (R-CLK-3). With `uitleg=true` the answer explains every day from `van` to the deadline.',
      querystring: DeadlineQuery,
      response: { 200: DeadlineSchema, ...problemResponses(400) }
    }
  }, async (request) => {
    const q = parseQuery(request.query)
    const kind = request.query.kalender ?? 'kantooruren'
    const cal = standardCalendar(kind)
    const duur = q.duur as number
    const deadline = cal.deadline(q.van, duur, q.pauzes)
    return {
      van: formatInstant(q.van),
      duur: formatDuration(duur),
      kalender: kind,
      deadline: formatInstant(deadline),
      ...(request.query.uitleg === true ? { uitleg: toUitleg(cal.explain(q.van, deadline, q.pauzes)) } : {})
    }
  })

  app.get('/kalender/werktijd', {
    config: { access: ALL_ROLES },
    schema: {
      tags: ['kalender'],
      summary: 'Business time between two instants (R-CAL-4), `van` included and `tot` not',
      description: 'Pauses (`pauze`) do not count (R-CLK-3). With `uitleg=true` the answer explains every day.',
      querystring: WerktijdQuery,
      response: { 200: WerktijdSchema, ...problemResponses(400) }
    }
  }, async (request) => {
    const q = parseQuery(request.query)
    const kind = request.query.kalender ?? 'kantooruren'
    const cal = standardCalendar(kind)
    const tot = q.tot as number
    return {
      van: formatInstant(q.van),
      tot: formatInstant(tot),
      kalender: kind,
      werktijd: formatDuration(cal.businessTime(q.van, tot, q.pauzes)),
      ...(request.query.uitleg === true ? { uitleg: toUitleg(cal.explain(q.van, tot, q.pauzes)) } : {})
    }
  })
}

export default kalender
