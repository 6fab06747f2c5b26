import { describe, expect, it } from 'vitest'
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
