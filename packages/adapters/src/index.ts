export * from './factory.ts';
