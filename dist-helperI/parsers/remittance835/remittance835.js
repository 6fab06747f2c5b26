export {};
//# sourceMappingURL=remittance835.js.map