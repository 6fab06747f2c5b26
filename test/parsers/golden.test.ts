import { describe, expect, it } from 'vitest'
import { goldenEvents, readGolden, readX12Events, writeGolden, x12Fixture } from '../support/golden.js'

const fixtures = ['837p-oncology.x12', '837i-oncology.x12', '835-oncology.x12']

describe('golden fixtures (real reader, whole file)', () => {
  for (const name of fixtures) {
    it(`${name} gives the reviewed events`, () => {
      const path = x12Fixture(name)
      if (process.env.UPDATE_GOLDENS === '1') writeGolden(path)
      const actual = JSON.parse(JSON.stringify(goldenEvents(readX12Events(path))))
      expect(actual).toEqual(readGolden(path))
    })
  }
})
