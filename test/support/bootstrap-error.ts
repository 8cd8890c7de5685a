import { ModuleMetadata } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ConfigurationException, RequestForgeModule, RequestForgeModuleOptions } from '../../lib';

/** What `RequestForgeModule.forRoot(options)` fails with at bootstrap; a module that boots fails the test. */
export async function bootstrapFailure(
  options: unknown,
  metadata: Omit<ModuleMetadata, 'imports'> = {},
): Promise<Error> {
  try {
    const ref = await Test.createTestingModule({
      imports: [RequestForgeModule.forRoot(options as RequestForgeModuleOptions)],
      ...metadata,
    }).compile();
    await ref.close();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected bootstrap to fail');
}

/** The ConfigurationException `forRoot({ clients })` fails with. */
export async function configurationError(
  clients: Record<string, unknown>,
): Promise<ConfigurationException> {
  const error = await bootstrapFailure({ clients });
  expect(error).toBeInstanceOf(ConfigurationException);
  return error as ConfigurationException;
}
