// Issue 16: the report's charts write numbers as the tables do, the Dutch way (99,5 %, not 99.5%).
import t from 'tap'
import { beschikbaarheidChart, kpiChart, meldingenChart, toSvg } from '../../src/http/representations/charts.js'

const labels = (svg: string): string[] => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1] as string)

t.test('axis labels use a decimal comma and a spaced percent sign', async (t) => {
  const b = labels(await toSvg(beschikbaarheidChart([{ dienst: 'Zaaksysteem', maand: '2026-01', beschikbaarheid: 0.9912 }, { dienst: 'Zaaksysteem', maand: '2026-02', beschikbaarheid: 0.975 }], 0.98, 'Beschikbaarheid')))
  const percents = b.filter((l) => /%/.test(l))
  t.ok(percents.length >= 3, `${percents.length} percentages on the axis`)
  for (const l of percents) t.match(l, /^\d{1,3},\d\u00a0%$/, `"${l}" is Dutch`)
  const k = labels(await toSvg(kpiChart([{ prioriteit: 'P2', klok: 'reactie', aandeel: 0.925, beslist: 40 }], 0.85)))
  t.ok(k.includes('80\u00a0%') && k.includes('100\u00a0%'), 'whole percentages too')
  const m = labels(await toSvg(meldingenChart([{ type: 'verstoring', prioriteit: 'P3', aantal: 1500 }])))
  t.ok(m.some((l) => l === '1.500'), 'thousands with a point')
  t.notOk([...b, ...k, ...m].some((l) => /\d\.\d%|\d%/.test(l)), 'no English number anywhere')
})
