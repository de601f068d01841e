import { VaultError, toErrorPayload, type Result } from '../../src-shared/errors';
import { contract, isChannel, type Channel } from '../../src-shared/ipc/contract';
import { parseInput } from '../vault/validate';
import type { Handlers } from './handlers';

/** Channels that are not a sign of a person at the keyboard (the page polls badge counts). */
const PASSIVE = new Set<Channel>(['vault:get-status', 'settings:get', 'due:counts']);

/**
 * The single entry for every call from a renderer, whatever the transport:
 * unknown channel, malformed input or a failing handler all become a typed
 * error Result — nothing throws across the boundary, and a bad call changes
 * nothing.
 */
export async function dispatch(
  handlers: Handlers,
  channelName: unknown,
  rawInput: unknown,
  onActivity?: () => void,
): Promise<Result<unknown>> {
  try {
    if (!isChannel(channelName)) {
      throw new VaultError('VALIDATION', `Unknown channel ${JSON.stringify(String(channelName).slice(0, 80))}.`);
    }
    const input = parseInput(contract[channelName].input, rawInput ?? {});
    if (onActivity && !PASSIVE.has(channelName)) onActivity();
    const handler = handlers[channelName] as (i: unknown) => unknown;
    const value = await handler(input);
    return { ok: true, value };
  } catch (e) {
    return { ok: false, error: toErrorPayload(e) };
  }
}
