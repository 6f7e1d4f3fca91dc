export * from './api.ts';
export * from './env.ts';
export * from './events.ts';
export * from './metrics.ts';
export * from './problems.ts';
export * from './production.ts';
export * from './report.ts';
export * from './webhooks.ts';
