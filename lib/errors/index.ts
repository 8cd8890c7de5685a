export * from './exceptions';
export * from './redaction';
export * from './http-error.mapper';
