import { readdirSync, readFileSync, statSync } from 'node:fs'
import { extname, join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { computeDeadline } from '../transforms/denials/deadline-calculator.js'
import { productDeadlineRules } from './transforms/denials/fixtures.js'

// Rules, tables and the text they put in front of users (a rework item's deadline basis, a scrub
// fix's source) cite public sources: users have no copy of our internal notes.

const root = join(import.meta.dirname, '..')
const INTERNAL = /DOMAIN\.md|\bthe brief\b|\bbrief \(|\bissue [0-9]+/i
const TEXT = new Set(['.ts', '.tsx', '.csv', '.md', '.txt', '.json', '.x12', '.tsv'])

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? walk(path) : TEXT.has(extname(name)) ? [path] : []
  })
}

describe('public sources', () => {
  it('src/, parsers/, transforms/ and fixtures/ cite no internal document', () => {
    const hits: string[] = []
    for (const dir of ['src', 'parsers', 'transforms', 'fixtures'])
      for (const file of walk(join(root, dir)))
        readFileSync(file, 'utf8')
          .split('\n')
          .forEach((line, i) => {
            if (INTERNAL.test(line)) hits.push(`${relative(root, file)}:${i + 1}: ${line.trim()}`)
          })
    expect(hits).toEqual([])
  })

  it('every deadline rule names a regulation, a CMS manual, the payer contract or a practice default', () => {
    const { rules } = productDeadlineRules()
    expect(rules.length).toBeGreaterThan(5)
    for (const rule of rules)
      expect(rule.source, `${rule.payerClass} ${rule.event}`).toMatch(
        /^(\d+ CFR [\d.]+|payer contract|practice default)/,
      )
  })

  it('a commercial appeal deadline explains itself with the contract and the ERISA floor', () => {
    const deadline = computeDeadline(
      {
        action: 'appeal',
        payer: undefined,
        payerClass: 'commercial',
        carcs: ['CO-197'],
        remitDate: '2026-02-05',
        serviceDate: '2026-01-12',
        claimType: 'professional',
      },
      productDeadlineRules(),
    )
    expect(deadline.basis).toBe(
      'appeal: remit date 2026-02-05 + 180 days (payer contract (common default; ERISA plans: 29 CFR 2560.503-1(h)(3)(i) gives members at least 180 days))',
    )
  })
})
