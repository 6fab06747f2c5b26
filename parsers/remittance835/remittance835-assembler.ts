import type { EnvelopeContext } from '../x12/envelope.js'
import type { TransactionAssembler } from '../x12/transaction-assembler.js'

// PLACEHOLDER: emits nothing until the real assembler lands.
export function createRemittance835Assembler(_envelope: EnvelopeContext): TransactionAssembler {
  return {
    issues: [],
    push() {},
    end() {
      return { remittance: undefined }
    },
  }
}
