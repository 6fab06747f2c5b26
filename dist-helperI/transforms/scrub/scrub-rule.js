export {};
//# sourceMappingURL=scrub-rule.js.map