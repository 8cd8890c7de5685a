import { AxiosRequestConfig, AxiosResponse } from 'axios';

/** What every hook sees about the call it runs in. */
export interface HookContext {
  /** The client's name (`'default'` for an unnamed client). */
  readonly clientName: string;
  /** One id per call (per subscription), the same across its retries. */
  readonly requestId: string;
  /** 1 for the first send of the call, +1 for every retry (transient or auth). */
  readonly attempt: number;
  /** 0 until a 401 made the client retry with a new token, then 1, 2, ... */
  readonly authAttempt: number;
  /** Shared by all hooks and attempts of one call; e.g. `rateLimit` from `rateLimitHook()`. */
  readonly metadata: Record<string, unknown>;
}

type MaybePromise<T> = T | Promise<T>;

/** A hook as a class (e.g. an injectable resolved from Nest's DI); implement any of the three. */
export interface ForgeHook {
  /** Runs before each attempt; may return a changed config. Throwing aborts the call. */
  beforeRequest?(
    config: AxiosRequestConfig,
    context: HookContext,
  ): MaybePromise<AxiosRequestConfig | void>;
  /** Runs after each successful response; may return a changed response. Failures are logged. */
  afterResponse?(response: AxiosResponse, context: HookContext): MaybePromise<AxiosResponse | void>;
  /** Runs after each failed attempt with the typed error. Failures are logged. */
  onError?(error: unknown, context: HookContext): MaybePromise<void>;
}

/** One hook function of a kind, as in `ForgeHooks`' lists. */
type Hook<K extends keyof ForgeHook> = NonNullable<ForgeHook[K]>;

/** Hook functions by kind, each list run in order (`{ beforeRequest: [fn] }`). */
export type ForgeHooks = { [K in keyof ForgeHook]?: Hook<K>[] };

/** Hooks in registration order, as the client runs them. */
export type NormalizedHooks = { readonly [K in keyof ForgeHook]-?: readonly Hook<K>[] };

export const HOOK_KINDS = ['beforeRequest', 'afterResponse', 'onError'] as const;

export const NO_HOOKS: NormalizedHooks = Object.freeze({
  beforeRequest: [],
  afterResponse: [],
  onError: [],
});

/** Appends `added` (a hooks object or a hook instance) after `current`, keeping the order. */
export function appendHooks(
  current: NormalizedHooks,
  added: ForgeHooks | ForgeHook,
): NormalizedHooks {
  const lists = added as Record<string, unknown>;
  const isObject = HOOK_KINDS.some((kind) => Array.isArray(lists[kind]));
  const next = (kind: (typeof HOOK_KINDS)[number]): unknown[] => {
    if (isObject) return (lists[kind] as unknown[] | undefined) ?? [];
    const method = (added as ForgeHook)[kind];
    return method ? [method.bind(added)] : [];
  };
  return Object.freeze(
    Object.fromEntries(HOOK_KINDS.map((kind) => [kind, [...current[kind], ...next(kind)]])),
  ) as unknown as NormalizedHooks;
}
