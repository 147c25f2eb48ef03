export * from './activities.js';
export * from './connector.js';
export * from './token-issuer.js';
