import { inspect } from 'node:util';
import type { LogCapture } from './log-capture';

/** Every rendering of an error a user or a log aggregator could see. */
export function renderings(error: unknown): string[] {
  const e = error as { message?: unknown; stack?: unknown };
  return [
    String(e?.message ?? ''),
    String(e?.stack ?? ''),
    JSON.stringify(error),
    inspect(error, { depth: null }),
    String(error),
  ];
}

/** Fails with the secret's position (not its value) when any rendering contains a secret. */
export function expectNoSecrets(texts: string | string[], secrets: string[]): void {
  const all = Array.isArray(texts) ? texts : [texts];
  for (const secret of secrets) {
    for (const [i, text] of all.entries()) {
      if (text.includes(secret)) {
        throw new Error(`secret #${secrets.indexOf(secret)} found in rendering #${i}`);
      }
    }
  }
}

/**
 * Every way an error reaches a human (message, stack, JSON, inspect with causes) and everything
 * logged through Nest's Logger: none may contain a secret.
 */
export function expectSecretsAbsent(
  error: unknown,
  secrets: readonly string[],
  logs?: LogCapture,
): void {
  expectNoSecrets(
    [...renderings(error), ...(logs?.renderings ?? [])],
    secrets.filter((s) => s.length > 0),
  );
}
