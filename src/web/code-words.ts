import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseRarcParaphrases } from '../../transforms/appeals/appeal-tables.js'
import type { CarcTable } from '../../transforms/denials/carc-table.js'
import { parseCarcRules, resolveCarcRule } from '../../transforms/denials/carc-table.js'
import { fixturesDir } from '../project-root.js'

/** CARC and RARC in words: our paraphrases (fixtures/denials), never X12's description text. */
export interface CodeWords {
  /** `CO-197` (or `197`) with the item's RARCs → the paraphrase, or undefined when unknown. */
  carc(code: string, rarcs: readonly string[]): string | undefined
  rarc(code: string): string | undefined
}

let loaded: Promise<CodeWords> | undefined

/** Loads carc-rules.csv and rarc-paraphrases.csv once per process. */
export function loadCodeWords(dir: string = fixturesDir('denials')): Promise<CodeWords> {
  loaded ??= (async () => {
    const [carcText, rarcText] = await Promise.all([
      readFile(join(dir, 'carc-rules.csv'), 'utf8'),
      readFile(join(dir, 'rarc-paraphrases.csv'), 'utf8'),
    ])
    const carcs: CarcTable = parseCarcRules(carcText)
    const rarcs = parseRarcParaphrases(rarcText)
    return {
      carc(code, itemRarcs) {
        const bare = code.includes('-') ? code.slice(code.indexOf('-') + 1) : code
        return resolveCarcRule(carcs, bare, itemRarcs)?.summary
      },
      rarc(code) {
        return rarcs.get(code.trim().toUpperCase())
      },
    }
  })()
  return loaded
}
