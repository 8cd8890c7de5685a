import { Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ConfigurationException } from '../errors';
import { ForgeHook, ForgeHooks } from './hook.types';

/**
 * Replaces hook classes by instances from Nest's DI: the app's provider when one is registered,
 * else a new instance whose constructor dependencies Nest resolves.
 */
export async function resolveHooks(
  clientName: string,
  hooks: unknown,
  moduleRef: ModuleRef,
): Promise<(ForgeHooks | ForgeHook)[]> {
  if (hooks === undefined) return [];
  if (!Array.isArray(hooks)) {
    throw new ConfigurationException(
      `Client "${clientName}": hooks must be an array of hook objects or injectable hook classes`,
      { clientName, field: 'hooks' },
    );
  }
  const resolved: (ForgeHooks | ForgeHook)[] = [];
  for (const [index, hook] of hooks.entries()) {
    if (typeof hook === 'function') {
      resolved.push(await instanceOf(hook as Type<ForgeHook>, moduleRef));
    } else if (hook && typeof hook === 'object') {
      resolved.push(hook as ForgeHooks | ForgeHook);
    } else {
      throw new ConfigurationException(
        `Client "${clientName}": hooks[${index}] must be a hook object or an injectable class`,
        { clientName, field: `hooks[${index}]` },
      );
    }
  }
  return resolved;
}

async function instanceOf(type: Type<ForgeHook>, moduleRef: ModuleRef): Promise<ForgeHook> {
  try {
    return moduleRef.get(type, { strict: false });
  } catch {
    return moduleRef.create(type);
  }
}
