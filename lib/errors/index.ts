export * from './request-forge.exception';
export * from './http-status.exception';
export * from './simple.exceptions';
export * from './authentication.exception';
export * from './redaction';
export * from './http-error.mapper';
