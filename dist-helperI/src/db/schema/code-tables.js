export {};
//# sourceMappingURL=code-tables.js.map