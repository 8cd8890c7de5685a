export * from './errors';
export * from './tokens/token-data';
export * from './tokens/token-provider.interface';
export * from './storage/token-storage.interface';
export * from './storage/in-memory-token-storage';
export * from './storage/token-lock.interface';
export * from './storage/in-process-token-lock';
export * from './retry';
