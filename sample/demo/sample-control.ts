import { SampleServerStats } from '../embedded/sample-api';

/**
 * Talks to the embedded servers' control endpoints (`SAMPLE_CONTROL_URL`): what they counted, and
 * revoking the tokens the API has seen. Absent when the sample runs against external services.
 */
export class SampleControl {
  constructor(private readonly baseUrl: string) {}

  async stats(): Promise<SampleServerStats> {
    const response = await fetch(`${this.baseUrl}/stats`);
    return (await response.json()) as SampleServerStats;
  }

  async revokeTokensOf(service: 'a' | 'c'): Promise<void> {
    await fetch(`${this.baseUrl}/revoke?service=${service}`, { method: 'POST' });
  }
}
