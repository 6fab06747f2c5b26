import { describe, expect, it } from 'vitest'
import { dollars, groupDigits } from '../../../src/web/amounts.js'
import { dollarsLabel, percentLabel, renderChartSvg } from '../../../src/web/charts.js'

describe('renderChartSvg', () => {
  it('draws a bar chart as SVG with its title, categories and dollar axis labels', () => {
    const svg = renderChartSvg({
      title: 'Denied vs recovered by month',
      type: 'bar',
      categories: ['2026-01', '2026-02'],
      series: [
        { name: 'denied', values: [150_000, 200_000] },
        { name: 'recovered', values: [100_000, 50_000] },
      ],
      format: 'cents',
    })
    expect(svg.startsWith('<svg role="img" aria-label="Denied vs recovered by month" ')).toBe(true)
    expect(svg).toContain('<title>Denied vs recovered by month</title>')
    expect(svg).toContain('>2026-01</text>')
    expect(svg).toContain('>2026-02</text>')
    expect(svg).toContain('>denied</text>')
    // Ticks in cents, labelled in dollars.
    expect(svg).toMatch(/>\$2,000<\/text>/)
    expect(svg).not.toContain('<script')
    // No inline style (the page's CSP ignores it): presentation attributes instead.
    expect(svg).not.toMatch(/ style=|<style/)
    expect(svg).toContain('font-size="12px"')
    // Four bars: paths with a fill of the two series colours.
    expect(svg.match(/fill="#1f5fa8"/g)?.length).toBeGreaterThanOrEqual(2)
  })

  it('draws a line chart of ratios with percent labels', () => {
    const svg = renderChartSvg({
      title: 'Denial rate by month',
      type: 'line',
      categories: ['2026-01', '2026-02', '2026-03'],
      series: [{ name: 'denial rate', values: [0.25, 0.5, 0.125] }],
      format: 'percent',
    })
    expect(svg).toMatch(/>50\.00%<\/text>/)
    expect(svg).toContain('<path')
  })

  it('escapes text that comes from the data (a payer id is not markup)', () => {
    const svg = renderChartSvg({
      title: 'By payer <b>"x"</b>',
      type: 'bar',
      categories: ['<script>alert(1)</script>', 'A&B'],
      series: [{ name: 'denied', values: [1, 2] }],
      format: 'count',
    })
    expect(svg).not.toContain('<script>')
    expect(svg).not.toContain('<b>')
    expect(svg).toContain('aria-label="By payer &#60;b&#62;&#34;x&#34;&#60;/b&#62;"')
    expect(svg).not.toMatch(/A&B/)
  })

  it('runs the bars across for many or long categories: a row each, long labels shortened', () => {
    const payers = Array.from({ length: 24 }, (_, i) => `EXAMPLE-PLAN-${i}-MEDICARE-ADVANTAGE-PPO-00621`)
    const spec = {
      title: 'By payer',
      type: 'bar' as const,
      categories: payers,
      series: [{ name: 'denied', values: payers.map((_, i) => (i + 1) * 100_000) }],
      format: 'cents' as const,
      width: 620,
      height: 280,
    }
    const svg = renderChartSvg(spec)
    // Taller than asked: 24 rows of 22 px.
    expect(Number(/^<svg [^>]*height="(\d+)"/.exec(svg)?.[1])).toBeGreaterThanOrEqual(24 * 22)
    expect(svg).toContain('>EXAMPLE-PLAN-0-MEDICARE…</text>')
    expect(svg).not.toContain('ADVANTAGE-PPO-00621</text>')
    // A year of months stays upright columns at the height asked.
    const year = Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}`)
    const months = renderChartSvg({ ...spec, categories: year, series: [] })
    expect(months).toMatch(/^<svg [^>]*height="280"/)
    expect(months).toContain('>2026-01</text>')
  })

  it('draws an empty chart when there is nothing to show', () => {
    const svg = renderChartSvg({ title: 'Nothing', type: 'bar', categories: [], series: [], format: 'cents' })
    expect(svg).toMatch(/^<svg /)
  })
})

describe('labels', () => {
  it('formats cents as dollars without floats', () => {
    expect(dollarsLabel(0)).toBe('$0')
    expect(dollarsLabel(123_456)).toBe('$1,234.56')
    expect(dollarsLabel(100_000_000)).toBe('$1,000,000')
    expect(dollarsLabel(-250)).toBe('-$2.50')
    expect(percentLabel(0.1234)).toBe('12.34%')
    expect(percentLabel(0)).toBe('0.00%')
  })
})

describe('amounts on a page', () => {
  it('groups thousands of plain decimals and leaves other text alone', () => {
    expect(groupDigits('2283950.56')).toBe('2,283,950.56')
    expect(groupDigits('999.99')).toBe('999.99')
    expect(groupDigits('-1234567')).toBe('-1,234,567')
    expect(groupDigits('50.00%')).toBe('50.00%')
    expect(groupDigits('TOTAL')).toBe('TOTAL')
    expect(dollars('2283950.56')).toBe('$2,283,950.56')
    expect(dollars('-12.00')).toBe('-$12.00')
  })
})
