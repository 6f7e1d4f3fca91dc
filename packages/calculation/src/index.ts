export * from './calculation.ts';
export * from './calculator.ts';
export * from './outcome.ts';
