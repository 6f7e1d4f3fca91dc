export * from './env.ts';
export * from './wiring.ts';
