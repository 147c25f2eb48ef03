export * from './activities.js';
export * from './connector.js';
