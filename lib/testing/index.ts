// The test kit (`nestjs-request-forge/testing`): fakes for the people who test code that uses the
// library, in jest or vitest, from CommonJS or ESM, with nothing beyond 127.0.0.1.
export { FakeTokenEndpoint } from './fake-token-endpoint';
export type {
  FakeTokenEndpointOptions,
  TokenEndpointFailure,
  TokenRequestRecord,
} from './fake-token-endpoint';
export type { ClientAuthMethod } from './client-authentication';
export { FakeProtectedApi } from './fake-protected-api';
export type { ProtectedApiRequest, TokenVerifier } from './fake-protected-api';
export { ManualClock } from './manual-clock';
export { ForgeClientStub } from './forge-client-stub';
export type {
  ForgeClientStubCall,
  ForgeClientStubOptions,
  StubAnswer,
  StubResponder,
} from './forge-client-stub';
