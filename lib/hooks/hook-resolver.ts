import { Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { OptionChecker } from '../errors/option-checker';
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
  const check = OptionChecker.forClient(clientName);
  const list: unknown[] = Array.isArray(hooks)
    ? hooks
    : check.fail('hooks', 'must be an array of hook objects or injectable hook classes');
  const resolved: (ForgeHooks | ForgeHook)[] = [];
  for (const [index, hook] of list.entries()) {
    if (typeof hook === 'function') {
      try {
        resolved.push(moduleRef.get(hook as Type<ForgeHook>, { strict: false }));
      } catch {
        resolved.push(await moduleRef.create(hook as Type<ForgeHook>));
      }
    } else if (hook && typeof hook === 'object') {
      resolved.push(hook as ForgeHooks | ForgeHook);
    } else {
      check.fail(`hooks[${index}]`, 'must be a hook object or an injectable class');
    }
  }
  return resolved;
}
