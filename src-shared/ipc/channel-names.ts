/**
 * The channel and event names alone, without their schemas: the preload
 * builds its allowlist from this list and so stays free of zod (it must be
 * bundled whole into a sandboxed script). contract.ts checks at compile time
 * that this list and the contract name the same channels.
 */
export const CHANNEL_NAMES = [
  'vault:get-status',
  'vault:create',
  'vault:unlock',
  'vault:lock',
  'vault:change-key-source',
  'vault:report-activity',
  'settings:get',
  'settings:update',
  'workspaces:list',
  'workspaces:add',
  'workspaces:update',
  'workspaces:remove',
  'environments:list',
  'environments:add',
  'environments:update',
  'environments:remove',
  'credentials:list',
  'credentials:get',
  'credentials:add',
  'credentials:update',
  'credentials:remove',
  'credentials:reveal',
  'credentials:copy',
  'audit:list',
  'audit:verify',
  'search:query',
  'providers:list',
  'providers:add',
  'environments:arm',
  'environments:disarm',
  'environments:arm-status',
  'credentials:test',
  'credentials:test-all',
  'credentials:login',
  'tests:cancel',
  'tests:history',
  'requests:send',
  'checks:check',
  'probes:plan',
  'probes:start',
  'probes:cancel',
  'probes:report',
  'roles:parse-table',
  'roles:save-table',
  'roles:export',
  'due:list',
  'due:counts',
  'due:export-ics',
  'reminders:snooze',
  'revocation:plan',
  'revocation:revoke',
  'revocation:confirm-manual',
  'revocation:regenerate',
  'revocation:sync',
  'rotation:start',
  'rotation:provide-value',
  'rotation:test',
  'rotation:switch',
  'rotation:finish',
  'rotation:abandon',
  'rotation:list',
  // issue-12: manage what you created
  'credentials:move',
  'workspaces:usage',
  'credentials:value-warnings',
  // issue 12 (12b): Settings
  'workspaces:rotation-policy',
  'workspaces:set-rotation-days',
  // issue 12 (12a): "Copy as curl"
  'requests:curl',
  // issue 13: "Scan a folder"
  'scan:start',
  'scan:cancel',
  'scan:reveal-file',
  // issue 12 (12c): the scan folder is chosen in the main process; the keychain probe
  'scan:pick-folder',
  'scan:allow-folder',
  'vault:keychain-status',
  // issue 14
  'backup:create',
  'backup:inspect',
  'backup:restore',
  // issue 14: scheduled backups
  'backup:get-schedule',
  'backup:set-schedule',
  'backup:clear-schedule',
  'backup:run-scheduled',
  'import:preview',
  'import:apply',
  'export:workspace',
] as const;

export type ChannelName = (typeof CHANNEL_NAMES)[number];

export const EVENT_NAMES = ['vault:locked', 'vault:unlocked', 'vault:changed', 'tests:progress', 'tests:finished', 'probes:progress', 'probes:finished', 'reminders:due', 'scan:progress', 'scan:finished'] as const;
export type EventName = (typeof EVENT_NAMES)[number];
