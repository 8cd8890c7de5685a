export * from './exceptions';
export * from './redaction';
