export {};
//# sourceMappingURL=claim837.js.map