export * from './factory.ts';
export * from './operators-factory.ts';
export * from './webhook-factory.ts';
