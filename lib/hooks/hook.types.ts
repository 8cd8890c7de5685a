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

/** Runs before each attempt; may return a changed config. Throwing aborts the call. */
export type BeforeRequestHook = (
  config: AxiosRequestConfig,
  context: HookContext,
) => MaybePromise<AxiosRequestConfig | void>;

/** Runs after each successful response; may return a changed response. Failures are logged. */
export type AfterResponseHook = (
  response: AxiosResponse,
  context: HookContext,
) => MaybePromise<AxiosResponse | void>;

/** Runs after each failed attempt with the typed error. Failures are logged. */
export type OnErrorHook = (error: unknown, context: HookContext) => MaybePromise<void>;

export interface ForgeHooks {
  beforeRequest?: BeforeRequestHook[];
  afterResponse?: AfterResponseHook[];
  onError?: OnErrorHook[];
}

/** A hook as a class (e.g. an injectable resolved from Nest's DI); implement any of the three. */
export interface ForgeHook {
  beforeRequest?(
    config: AxiosRequestConfig,
    context: HookContext,
  ): MaybePromise<AxiosRequestConfig | void>;
  afterResponse?(response: AxiosResponse, context: HookContext): MaybePromise<AxiosResponse | void>;
  onError?(error: unknown, context: HookContext): MaybePromise<void>;
}

/** Hooks in registration order, as the client runs them. */
export interface NormalizedHooks {
  readonly beforeRequest: readonly BeforeRequestHook[];
  readonly afterResponse: readonly AfterResponseHook[];
  readonly onError: readonly OnErrorHook[];
}

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
