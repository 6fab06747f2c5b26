export {};
//# sourceMappingURL=scrub-tables.js.map