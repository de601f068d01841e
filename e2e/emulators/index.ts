import { startBuilt, type BuiltEmulator, type BuiltOptions } from './built';
import { startCoolset, type CoolsetOptions, type CoolsetState } from './coolset';
import type { CommonOptions, Emulator, RecordedRequest } from './http-util';
import { startRegate, type RegateOptions, type RegateState } from './regate';
import { startRegen, type RegenOptions, type RegenState } from './regen';
import { startStrapi, type StrapiOptions, type StrapiState } from './strapi';

export * from './http-util';
export * from './jwt';
export * from './rate-limit';
export * from './regate-matrix';
export * from './regate';
export * from './regen';
export {
  STRAPI_CONTENT_ACTIONS,
  STRAPI_DAY_MS,
  STRAPI_LIFESPANS,
  STRAPI_TOKEN_TYPES,
  isValidLifespan,
  strapiActionUid,
  tokenAllows,
  tokenView,
  type StrapiContentAction,
  type StrapiToken,
  type StrapiTokenInput,
  type StrapiTokenType,
} from './strapi-tokens';
export { STRAPI_ADMIN_JWT_TTL_S, signAdminJwt, type StrapiAdminUser } from './strapi-admin';
export * from './strapi';
export * from './coolset';
export * from './built';
export * from './demo-seed';

export interface AllOptions extends Omit<CommonOptions, 'port'> {
  /** regate = N, regen = N+1, strapi = N+2, coolset = N+3, built sandbox = N+4, built production = N+5. Default: random ports. */
  portBase?: number;
  /** Per-provider options; they win over the common ones above. */
  regate?: RegateOptions;
  regen?: RegenOptions;
  strapi?: StrapiOptions;
  coolset?: CoolsetOptions;
  built?: BuiltOptions;
}

export interface EmulatorUrls {
  regate: string;
  regen: string;
  strapi: string;
  coolset: string;
  built: { sandbox: string; production: string };
}

export interface AllEmulators {
  regate: Emulator<RegateState>;
  regen: Emulator<RegenState>;
  strapi: Emulator<StrapiState>;
  coolset: Emulator<CoolsetState>;
  built: BuiltEmulator;
  urls: EmulatorUrls;
  /** Every request any of them received, in order of arrival (injected clock, then per-emulator order). */
  allRequests(): RecordedRequest[];
  close(): Promise<void>;
}

export async function startAll(opts: AllOptions = {}): Promise<AllEmulators> {
  const { portBase, regate, regen, strapi, coolset, built, ...common } = opts;
  const port = (i: number) => (portBase === undefined ? 0 : portBase + i);
  const started: Array<{ close(): Promise<void> }> = [];
  const track = async <T extends { close(): Promise<void> }>(p: Promise<T>): Promise<T> => {
    const e = await p;
    started.push(e);
    return e;
  };
  try {
    const all = {
      regate: await track(startRegate({ port: port(0), ...common, ...regate })),
      regen: await track(startRegen({ port: port(1), ...common, ...regen })),
      strapi: await track(startStrapi({ port: port(2), ...common, ...strapi })),
      coolset: await track(startCoolset({ port: port(3), ...common, ...coolset })),
      built: await track(startBuilt({ port: port(4), productionPort: port(5), ...common, ...built })),
    };
    return {
      ...all,
      urls: {
        regate: all.regate.url,
        regen: all.regen.url,
        strapi: all.strapi.url,
        coolset: all.coolset.url,
        built: { sandbox: all.built.sandbox.url, production: all.built.production.url },
      },
      allRequests: () =>
        [all.regate, all.regen, all.strapi, all.coolset, all.built]
          .flatMap((e) => e.state.requests)
          .sort((a, b) => a.at - b.at),
      close: async () => {
        await Promise.all(started.map((e) => e.close()));
      },
    };
  } catch (e) {
    await Promise.all(started.map((x) => x.close()));
    throw e;
  }
}
