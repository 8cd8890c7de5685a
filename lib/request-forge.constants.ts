/** A client's provider token reads as a hint: Nest prints it when the client is not configured. */
function providerToken(kind: string, name: string): string {
  return `${kind}:${name} (RequestForgeModule clients.${name})`;
}

export function getForgeClientToken(name: string): string {
  return providerToken('ForgeClient', name);
}

export function getTokenManagerToken(name: string): string {
  return providerToken('TokenManager', name);
}

export function getTokenProviderToken(name: string): string {
  return providerToken('TokenProvider', name);
}

export function getTokenStorageToken(name: string): string {
  return providerToken('TokenStorage', name);
}

export const FORGE_CLIENT_NAMES = 'RequestForge:ClientNames';

/** `CACHE_MANAGER` of @nestjs/cache-manager, spelled here so that package stays optional. */
export const CACHE_MANAGER_TOKEN = 'CACHE_MANAGER';
