export * from './request-forge.exception';
export * from './http-status.exception';
export * from './no-answer.exceptions';
export * from './circuit-open.exception';
export * from './configuration.exception';
export * from './authentication.exception';
export * from './redaction';
export * from './http-error.mapper';
