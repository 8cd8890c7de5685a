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
    @Inject(FORGE_CLIENT_NAMES) private readonly clientNames: readonly string[],
  ) {}

  get names(): readonly string[] {
    return this.clientNames;
  }

  has(name: string): boolean {
    return this.clientNames.includes(name);
  }

  get(name: string): ForgeClient {
    if (!this.has(name)) {
      const known = this.clientNames.map((n) => `"${n}"`).join(', ') || 'none';
      throw new ConfigurationException(
        `No ForgeClient named "${name}" in RequestForgeModule (configured: ${known})`,
        { clientName: name, field: 'clients' },
      );
    }
    return this.moduleRef.get<ForgeClient>(getForgeClientToken(name), { strict: true });
  }

  /**
   * Each client's health from what it already holds (breaker state, token, failed token
   * fetches): synchronous, no request sent. For a readiness probe, e.g. a terminus indicator.
   */
  health(): ForgeClientsHealth {
    return Object.fromEntries(this.clientNames.map((name) => [name, clientHealth(this.get(name))]));
  }
}
