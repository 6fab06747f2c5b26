export {};
//# sourceMappingURL=denial-engine.js.map