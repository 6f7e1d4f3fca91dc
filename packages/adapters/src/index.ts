export * from './factory.ts';
export * from './webhook-factory.ts';
