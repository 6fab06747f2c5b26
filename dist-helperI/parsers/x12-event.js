export {};
//# sourceMappingURL=x12-event.js.map