import * as vega from 'vega'
import { compile, type TopLevelSpec } from 'vega-lite'

/**
 * The report's charts as vega-lite specifications, rendered to SVG headless (no canvas, no
 * browser): vega lays out axes, legends and scales; the PDF embeds the SVG as vectors.
 */

const FONT = 'Helvetica'
/** Dutch numbers on the axes, as in the report's tables: 99,5 % and 1.234 (issue 16). */
const DUTCH = { number: { decimal: ',', thousands: '.', grouping: [3], currency: ['€ ', ''] as [string, string], percent: '\u00a0%' } }
const BASE = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  background: 'white',
  config: {
    locale: DUTCH,
    font: FONT,
    view: { stroke: null },
    axis: { labelFontSize: 9, titleFontSize: 10, gridColor: '#e5e5e5' },
    legend: { labelFontSize: 9, titleFontSize: 10 }
  }
} as const

export async function toSvg (spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' })
  try {
    return await view.toSVG()
  } finally {
    view.finalize()
  }
}

/** KPI shares per priority and clock against the prestatienorm (R-KPI-2, R-KPI-3). */
export function kpiChart (rows: ReadonlyArray<{ prioriteit: string, klok: string, aandeel: number, beslist: number }>, norm: number): TopLevelSpec {
  return {
    ...BASE,
    width: 420,
    height: 200,
    title: { text: 'Aandeel binnen norm per prioriteit', fontSize: 11 },
    layer: [
      {
        data: { values: rows.map((r) => ({ ...r })) },
        mark: { type: 'bar', tooltip: false },
        encoding: {
          x: { field: 'prioriteit', type: 'nominal', title: null, axis: { labelAngle: 0 } },
          xOffset: { field: 'klok' },
          y: { field: 'aandeel', type: 'quantitative', title: 'binnen norm', scale: { domain: [0, 1] }, axis: { format: '.0%' } },
          color: { field: 'klok', type: 'nominal', title: 'klok', scale: { domain: ['reactie', 'functieherstel'], range: ['#4e79a7', '#f28e2b'] } }
        }
      },
      {
        data: { values: [{ norm }] },
        mark: { type: 'rule', color: '#c62828', strokeDash: [4, 3], strokeWidth: 1.5 },
        encoding: { y: { field: 'norm', type: 'quantitative' } }
      }
    ]
  } as TopLevelSpec
}

/** Availability per dienst per month against the norm (R-BES-4, R-BES-5). */
export function beschikbaarheidChart (rows: ReadonlyArray<{ dienst: string, maand: string, beschikbaarheid: number }>, norm: number, title: string): TopLevelSpec {
  const lowest = Math.min(norm, ...rows.map((r) => r.beschikbaarheid))
  const lo = Math.max(0, Math.floor((lowest - 0.005) * 100) / 100)
  const diensten = new Set(rows.map((r) => r.dienst)).size
  return {
    ...BASE,
    width: 420,
    height: Math.max(60, diensten * 27),
    title: { text: title, fontSize: 11 },
    layer: [
      {
        data: { values: rows.map((r) => ({ ...r })) },
        mark: { type: 'bar', clip: true },
        encoding: {
          y: { field: 'dienst', type: 'nominal', title: null, sort: null },
          yOffset: { field: 'maand' },
          x: { field: 'beschikbaarheid', type: 'quantitative', title: 'beschikbaarheid (07:00–23:00)', scale: { domain: [lo, 1], clamp: true }, axis: { format: '.1%' } },
          color: { field: 'maand', type: 'nominal', title: 'maand', scale: { scheme: 'tableau10' } }
        }
      },
      {
        data: { values: [{ norm }] },
        mark: { type: 'rule', color: '#c62828', strokeDash: [4, 3], strokeWidth: 1.5 },
        encoding: { x: { field: 'norm', type: 'quantitative' } }
      }
    ]
  } as TopLevelSpec
}

/** Meldingen reported in the quarter per type, stacked by priority. */
export function meldingenChart (rows: ReadonlyArray<{ type: string, prioriteit: string, aantal: number }>): TopLevelSpec {
  return {
    ...BASE,
    width: 420,
    height: 180,
    title: { text: 'Meldingen per type en prioriteit', fontSize: 11 },
    data: { values: rows.map((r) => ({ ...r })) },
    mark: 'bar',
    encoding: {
      x: { field: 'type', type: 'nominal', title: null, axis: { labelAngle: 0 } },
      y: { field: 'aantal', type: 'quantitative', title: 'aantal', axis: { tickMinStep: 1 } },
      color: { field: 'prioriteit', type: 'ordinal', title: 'prioriteit', scale: { domain: ['P1', 'P2', 'P3', 'P4'], range: ['#b71c1c', '#ef6c00', '#fbc02d', '#90a4ae'] } },
      order: { field: 'prioriteit' }
    }
  } as TopLevelSpec
}
