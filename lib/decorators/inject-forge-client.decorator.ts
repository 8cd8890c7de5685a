import { Inject } from '@nestjs/common';
import { getForgeClientToken, getTokenManagerToken } from '../request-forge.constants';

/** Injects the `ForgeClient` configured under `name` in `RequestForgeModule`. */
export const InjectForgeClient = (name: string): ParameterDecorator & PropertyDecorator =>
  Inject(getForgeClientToken(name));

/** Injects the `TokenManager` that the client `name` uses. */
export const InjectTokenManager = (name: string): ParameterDecorator & PropertyDecorator =>
  Inject(getTokenManagerToken(name));
