import { describe, expect, it } from 'vitest'
import type { ReworkStatus, StatusChange } from '../../../transforms/denials/rework-status.js'
import {
  allowedChanges,
  nextStatus,
  REWORK_STATUSES,
  STATUS_CHANGES,
  statusesAllowing,
} from '../../../transforms/denials/rework-status.js'

/** The documented table (README "Rework item status"), written out: from → change → to. */
const EXPECTED: [ReworkStatus, StatusChange, ReworkStatus][] = [
  ['open', 'assign', 'assigned'],
  ['open', 'correct', 'corrected'],
  ['open', 'appeal', 'appealed'],
  ['open', 'write_off', 'written_off'],
  ['open', 'bill_patient', 'patient_billed'],
  ['open', 'recover', 'recovered'],
  ['assigned', 'assign', 'assigned'],
  ['assigned', 'correct', 'corrected'],
  ['assigned', 'appeal', 'appealed'],
  ['assigned', 'write_off', 'written_off'],
  ['assigned', 'bill_patient', 'patient_billed'],
  ['assigned', 'recover', 'recovered'],
  ['corrected', 'write_off', 'written_off'],
  ['corrected', 'bill_patient', 'patient_billed'],
  ['corrected', 'recover', 'recovered'],
  ['corrected', 'reopen', 'open'],
  ['appealed', 'write_off', 'written_off'],
  ['appealed', 'bill_patient', 'patient_billed'],
  ['appealed', 'recover', 'recovered'],
  ['appealed', 'reopen', 'open'],
  ['written_off', 'recover', 'recovered'],
  ['written_off', 'reopen', 'open'],
  ['patient_billed', 'recover', 'recovered'],
  ['patient_billed', 'reopen', 'open'],
  // Paid in part: the rest may still be paid, written off or billed, or the item reopened.
  ['partially_recovered', 'write_off', 'written_off'],
  ['partially_recovered', 'bill_patient', 'patient_billed'],
  ['partially_recovered', 'recover', 'recovered'],
  ['partially_recovered', 'reopen', 'open'],
]

describe('nextStatus', () => {
  it('allows exactly the documented moves, for every status × change', () => {
    const allowed: [string, string, string][] = []
    for (const from of REWORK_STATUSES)
      for (const change of STATUS_CHANGES) {
        const result = nextStatus(from, change)
        if (result.ok) allowed.push([from, change, result.to])
      }
    expect(allowed).toEqual(EXPECTED)
  })

  it('refuses written_off → appealed and appealed → assigned, naming what is allowed', () => {
    expect(nextStatus('written_off', 'appeal')).toEqual({
      ok: false,
      from: 'written_off',
      change: 'appeal',
      allowed: ['recover', 'reopen'],
      reason: 'a written_off item cannot be appealed; allowed: recover, reopen',
    })
    const assign = nextStatus('appealed', 'assign')
    expect(assign.ok).toBe(false)
    if (!assign.ok) expect(assign.allowed).toEqual(['write_off', 'bill_patient', 'recover', 'reopen'])
  })

  it('goes back to work only through reopen', () => {
    // From every resolved status, the only way to a working status is reopen → open.
    for (const from of ['corrected', 'appealed', 'written_off', 'patient_billed'] as const)
      for (const change of STATUS_CHANGES) {
        const result = nextStatus(from, change)
        if (result.ok && (result.to === 'open' || result.to === 'assigned')) expect(change).toBe('reopen')
      }
    expect(nextStatus('open', 'reopen').ok).toBe(false)
    expect(nextStatus('assigned', 'reopen').ok).toBe(false)
  })

  it('keeps recovered final and says so', () => {
    expect(allowedChanges('recovered')).toEqual([])
    const result = nextStatus('recovered', 'reopen')
    expect(result.ok ? '' : result.reason).toBe(
      'a recovered item cannot be reopened; allowed: nothing (final)',
    )
  })

  it('rejects a status that is not in the table', () => {
    const result = nextStatus('archived', 'assign')
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.reason).toMatch(/^"archived" is not a rework item status/)
  })

  it('lists the statuses a later payment can recover: every one but recovered', () => {
    expect(statusesAllowing('recover')).toEqual([
      'open',
      'assigned',
      'corrected',
      'appealed',
      'written_off',
      'patient_billed',
      'partially_recovered',
    ])
  })
})
