export * from './accounting-month';
export * from './exact-money';
export * from './revenue-events';
export * from './revenue-movement';
export * from './recognise';
export * from './monthly-revenue';
export * from './deferred-waterfall';
export * from './journal';
