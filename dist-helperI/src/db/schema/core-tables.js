export {};
//# sourceMappingURL=core-tables.js.map