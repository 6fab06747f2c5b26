export {};
//# sourceMappingURL=transaction-assembler.js.map