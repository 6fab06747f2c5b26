export {};
//# sourceMappingURL=code-records.js.map