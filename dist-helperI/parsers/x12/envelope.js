export {};
//# sourceMappingURL=envelope.js.map