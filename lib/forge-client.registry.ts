import { Inject, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ForgeClient } from './client/forge-client';
import { ConfigurationException } from './errors';
import { clientHealth, ForgeClientsHealth } from './observability/client-health';
import { FORGE_CLIENT_NAMES, getForgeClientToken } from './request-forge.constants';

/** The module's clients by name, for names known only at run time. */
@Injectable()
export class ForgeClientRegistry {
  constructor(
    private readonly moduleRef: ModuleRef,
    @Inject(FORGE_CLIENT_NAMES) readonly names: readonly string[],
  ) {}

  has(name: string): boolean {
    return this.names.includes(name);
  }

  get(name: string): ForgeClient {
    if (!this.has(name)) {
      const known = this.names.map((n) => `"${n}"`).join(', ') || 'none';
      throw new ConfigurationException(
        `No ForgeClient named "${name}" in RequestForgeModule (configured: ${known})`,
        { clientName: name, field: 'clients' },
      );
    }
    return this.moduleRef.get<ForgeClient>(getForgeClientToken(name), { strict: true });
  }

  /** Each client's health from state it already holds (no request sent): a readiness probe. */
  health(): ForgeClientsHealth {
    return Object.fromEntries(this.names.map((name) => [name, clientHealth(this.get(name))]));
  }
}
