import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { X12Reader } from '../../../parsers/x12-reader.js'
import { goldenEvents, readGolden, readX12Events, writeGolden, x12Fixture } from '../../support/golden.js'

const fixtures = ['837p-oncology.x12', '837i-oncology.x12']

describe('837 golden fixtures (real reader)', () => {
  for (const name of fixtures) {
    const path = x12Fixture(name)

    it(`${name} gives the reviewed events`, () => {
      if (process.env.UPDATE_GOLDENS === '1') writeGolden(path)
      const actual = JSON.parse(JSON.stringify(goldenEvents(readX12Events(path))))
      expect(actual).toEqual(readGolden(path))
    })

    it(`${name} gives the same claims, with the same source segments, at any chunk size`, () => {
      const bytes = readFileSync(path)
      const whole = readX12Events(path)
      for (const size of [1, 2, 3, 105, 106, 107, 4096]) {
        const reader = new X12Reader()
        const events = []
        for (let at = 0; at < bytes.length; at += size)
          events.push(...reader.write(bytes.subarray(at, at + size)))
        events.push(...reader.end())
        expect(events).toEqual(whole)
      }
    })
  }
})
