import * as echarts from 'echarts'
import { formatCents } from '../../parsers/money.js'

/** How a chart's values read: integer cents (shown as dollars), a ratio (shown as %), a count. */
export type ChartValueFormat = 'cents' | 'percent' | 'count'

/** One series: a value per category (cents stay integers; ratios are 0..1). */
export interface ChartSeries {
  name: string
  values: readonly number[]
  /** Series with the same stack name are drawn on top of each other (bar charts). */
  stack?: string
}

/** A chart drawn on the server (no client script): what {@link renderChartSvg} draws. */
export interface ChartSpec {
  /** Also the SVG's accessible name. */
  title: string
  type: 'bar' | 'line'
  categories: readonly string[]
  series: readonly ChartSeries[]
  format: ChartValueFormat
  width?: number
  height?: number
}

/** `123456` cents → `$1,234.56`; whole dollars drop the cents (`$500`), for axis ticks. */
export function dollarsLabel(cents: number): string {
  const text = formatCents(Math.round(cents))
  const negative = text.startsWith('-')
  const [whole = '0', fraction = '00'] = (negative ? text.slice(1) : text).split('.')
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return `${negative ? '-' : ''}$${grouped}${fraction === '00' ? '' : `.${fraction}`}`
}

/** `0.1234` → `12.34%`. */
export function percentLabel(ratio: number): string {
  return `${(Math.round(ratio * 10_000) / 100).toFixed(2)}%`
}

const formatterOf = (format: ChartValueFormat): ((value: number) => string) =>
  format === 'cents' ? dollarsLabel : format === 'percent' ? percentLabel : (v) => String(v)

/** CSS properties that SVG also takes as presentation attributes. */
const PRESENTATION = new Set([
  'font-size',
  'font-family',
  'font-weight',
  'font-style',
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'opacity',
  'text-anchor',
  'dominant-baseline',
])

/**
 * The page's Content-Security-Policy (`style-src 'self'`) ignores inline `style` attributes, so
 * ECharts' `style="font-size:12px;font-family:sans-serif;"` becomes `font-size="12px"
 * font-family="sans-serif"` (presentation attributes, which CSP allows). Values are already
 * attribute-escaped by ECharts; other properties are dropped. The `<style>` element of hover
 * effects is dropped too.
 */
export function styleToAttributes(svg: string): string {
  // ECharts' <style> element holds only hover effects (no script runs here to use them).
  return svg.replace(/<style[^>]*>[\s\S]*?<\/style>/g, '').replace(/ style="([^"]*)"/g, (_all, css: string) =>
    css
      .split(';')
      .map((decl) => {
        const colon = decl.indexOf(':')
        if (colon < 0) return ''
        const name = decl.slice(0, colon).trim().toLowerCase()
        const value = decl.slice(colon + 1).trim()
        return PRESENTATION.has(name) && value !== '' ? ` ${name}="${value}"` : ''
      })
      .join(''),
  )
}

const escapeXml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/** Height of a category's row when bars run across. */
const ROW_HEIGHT = 22
/** Longest category label drawn in full; longer ones end in "…" (the table beside has them whole). */
const LABEL_CHARS = 24

/**
 * Whether a bar chart runs its bars across (categories down the side): when a label is longer than
 * 12 characters or there are more than 14 categories. Under them, rotated labels of long payer ids
 * took most of the chart's height and left a sliver for the bars. A year of months stays columns.
 */
function barsAcross(spec: ChartSpec): boolean {
  return spec.type === 'bar' && (spec.categories.length > 14 || spec.categories.some((c) => c.length > 12))
}

const shortLabel = (label: string): string =>
  label.length <= LABEL_CHARS ? label : `${label.slice(0, LABEL_CHARS - 1)}…`

/**
 * Draws a bar or line chart as an SVG string with Apache ECharts' server-side rendering (SVG
 * renderer, `ssr: true`): no browser, no client script, no animation. The SVG carries
 * `role="img"`, an `aria-label` and a `<title>` with the chart's title; the page puts the same
 * numbers in a table next to it for screen readers and copying.
 */
export function renderChartSvg(spec: ChartSpec): string {
  const width = spec.width ?? 640
  const across = barsAcross(spec)
  // Bars across: a row per category, so the chart grows with them (24 payers stay readable).
  const height = Math.max(spec.height ?? 300, across ? 64 + ROW_HEIGHT * spec.categories.length : 0)
  const format = formatterOf(spec.format)
  const categoryAxis = across
    ? {
        type: 'category',
        inverse: true,
        data: spec.categories.map(shortLabel),
        axisLabel: { interval: 0 },
      }
    : {
        type: 'category',
        data: [...spec.categories],
        axisLabel: { interval: 0, rotate: spec.categories.length > 8 ? 30 : 0 },
      }
  const valueAxis = {
    type: 'value',
    axisLabel: { formatter: (value: number) => format(value) },
    ...(across ? { splitNumber: 4 } : {}),
    ...(spec.format === 'count' ? { minInterval: 1 } : {}),
  }
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height })
  try {
    chart.setOption({
      animation: false,
      color: ['#1f5fa8', '#2e8540', '#d97706', '#9b1c1c', '#6b21a8', '#0f766e'],
      grid: { left: 16, right: across ? 40 : 24, top: 40, bottom: 16, containLabel: true },
      legend: spec.series.length > 1 ? { top: 4, data: spec.series.map((s) => s.name) } : undefined,
      xAxis: across ? valueAxis : categoryAxis,
      yAxis: across ? categoryAxis : valueAxis,
      series: spec.series.map((s) => ({
        type: spec.type,
        name: s.name,
        data: [...s.values],
        ...(s.stack === undefined ? {} : { stack: s.stack }),
        ...(spec.type === 'line' ? { symbolSize: 6 } : { barMaxWidth: 48 }),
      })),
    })
    const svg = styleToAttributes(chart.renderToSVGString())
    const title = escapeXml(spec.title)
    return svg
      .replace(/^<svg /, `<svg role="img" aria-label="${title}" `)
      .replace(/>/, `><title>${title}</title>`)
  } finally {
    // Without dispose, the chart's animation loop keeps the process alive.
    chart.dispose()
  }
}
