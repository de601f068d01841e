import * as z from 'zod';
import { VaultError } from '../../src-shared/errors';
import { exportCsv, exportMarkdown, parseRoleTable, toRoleMatrixModel } from '../../src-shared/roles';
import type { Channel, ChannelOutput, ParsedInput } from '../../src-shared/ipc/contract';
import { DEFAULT_WITHIN_DAYS } from '../../src-shared/expiry/due-types';
import type { AppServices } from '../services/app-services';
import { parseInput } from '../vault/validate';
import { moveCredential } from '../services/credential-move';
import { sameValueWarnings } from '../services/value-warnings';
import { countDueByWorkspace, listDueItems, NameBook } from '../services/due-list';
import { exportDueCalendar } from '../services/ics-export';
import { requireStoredValue } from '../../src-shared/domain/value-state';
import { curlCommand } from '../services/curl-command';

const PresetNames = z.array(z.string().max(100)).max(20);

export type Handler<C extends Channel> = (input: ParsedInput<C>) => ChannelOutput<C> | Promise<ChannelOutput<C>>;
export type Handlers = { [C in Channel]: Handler<C> };

/**
 * One handler per channel, shared by every shell. Inputs arrive already
 * parsed against the contract; the vault parses again with the domain rules.
 */
export function createHandlers(s: AppServices): Handlers {
  const { vault } = s;
  return {
    'vault:get-status': () => vault.status(),
    'vault:create': (i) => vault.init(i),
    'vault:unlock': (i) => vault.unlock(i),
    'vault:lock': () => {
      s.autoLock.lockNow('user');
      return vault.status();
    },
    'vault:change-key-source': (i) => vault.changeKeySource(i),
    'vault:report-activity': () => ({ lockInMs: s.autoLock.activity() }),

    'settings:get': () => vault.getSettings(),
    'settings:update': (i) => {
      const settings = vault.updateSettings(i);
      s.autoLock.activity();
      return settings;
    },

    'workspaces:list': () => vault.listWorkspaces(),
    'workspaces:add': (i) => {
      // `presetEnvironments` picks which of the provider's documented environments come with it (issue-12).
      const { presetEnvironments, ...rest } = (typeof i === 'object' && i !== null ? i : {}) as { presetEnvironments?: unknown };
      const picked = presetEnvironments === undefined ? undefined : parseInput(PresetNames, presetEnvironments, 'presetEnvironments');
      return s.catalog.addWorkspace(i === null || typeof i !== 'object' ? i : rest, picked).workspace;
    },
    'workspaces:update': (i) => s.catalog.updateWorkspace(i.id, i.patch),
    'workspaces:rotation-policy': (i) => {
      vault.getWorkspace(i.id);
      return vault.due.workspaceRotationDays(i.id);
    },
    'workspaces:set-rotation-days': (i) => {
      vault.setWorkspaceRotationDays(i.id, i.rotationDays);
      return vault.due.workspaceRotationDays(i.id);
    },
    'workspaces:remove': (i) => {
      vault.removeWorkspace(i.id);
      return { removed: i.id };
    },

    'environments:list': (i) => vault.listEnvironments(i.workspaceId),
    'environments:add': (i) => vault.addEnvironment(i),
    'environments:update': (i) => vault.updateEnvironment(i.id, i.patch),
    'environments:remove': (i) => {
      vault.removeEnvironment(i.id);
      return { removed: i.id };
    },

    'credentials:list': (i) => {
      vault.getWorkspace(i.workspaceId);
      return vault.listCredentials(i.environmentId ? { environmentId: i.environmentId } : { workspaceId: i.workspaceId });
    },
    'credentials:get': (i) => vault.getCredential(i.id),
    'credentials:add': (i) => s.catalog.addCredential(i),
    'credentials:update': (i) => s.catalog.updateCredential(i.id, i.patch),
    'credentials:remove': (i) => {
      vault.removeCredential(i.id);
      return { removed: i.id };
    },
    'credentials:reveal': (i) => {
      requireStoredValue(vault.getCredential(i.id));
      const secret = vault.revealCredential(i.id, 'revealed');
      return { ...secret, hideAfterSeconds: vault.getSettings().revealSeconds };
    },
    'credentials:copy': (i) => {
      requireStoredValue(vault.getCredential(i.id));
      const clearAfterSeconds = vault.getSettings().clipboardClearSeconds;
      const { value } = vault.revealCredential(i.id, 'copied');
      if (s.clipboard) {
        s.clipboard.copy(value, clearAfterSeconds);
        return { clearAfterSeconds };
      }
      if (s.shell === 'browser') return { value, clearAfterSeconds };
      throw new VaultError('INTERNAL', 'No clipboard is available in this shell.');
    },

    'audit:list': (i) => {
      const names = new NameBook(vault);
      return vault.listAudit(i).map((e) => ({ ...e, ref: e.credentialId ? names.refOrNull(e.credentialId) : null }));
    },
    'audit:verify': () => vault.verifyAudit(),

    'search:query': (i) => vault.search(i.query, i.limit ?? 50).map(({ lower: _lower, ...rest }) => rest),

    'providers:list': () => s.providers.list(),
    'providers:add': (i) => ({ definition: s.providers.add(i.json), source: 'user' as const }),

    'environments:arm': (i) => {
      const env = vault.getEnvironment(i.environmentId);
      if (!env.production) throw new VaultError('VALIDATION', 'Only production environments need arming; this one accepts writes already.');
      return { armedUntil: s.arming.arm(env.id, vault.getWorkspace(env.workspaceId).name, i.confirmName) };
    },
    'environments:disarm': (i) => {
      s.arming.disarm(i.environmentId);
      return { armedUntil: null };
    },
    'environments:arm-status': (i) => ({ armedUntil: s.arming.armedUntil(vault.getEnvironment(i.environmentId).id) }),

    'credentials:test': (i) => s.requests.test(i.id, { ...(i.presetId ? { presetId: i.presetId } : {}), ...(i.force ? { force: true } : {}) }),
    'credentials:test-all': (i) => {
      const { runId, total } = s.testRunner.start(i);
      return { runId, total };
    },
    'credentials:login': (i) => s.requests.login(i),
    'tests:cancel': (i) => ({ cancelled: s.testRunner.cancel(i.runId) }),
    'tests:history': (i) => {
      vault.getCredential(i.credentialId);
      return vault.listTestHistory(i.credentialId, i.limit ?? 50);
    },
    'requests:send': (i) =>
      s.requests.test(i.credentialId, {
        method: i.method,
        path: i.path,
        ...(i.headers ? { headers: i.headers } : {}),
        ...(i.body !== undefined ? { body: i.body } : {}),
        ...(i.force ? { force: true } : {}),
      }),
    'requests:curl': (i) => curlCommand(vault, s.requests, i),
    'probes:plan': (i) => s.probes.plan(i.credentialId, i.contentTypes ? { contentTypes: i.contentTypes } : {}),
    'probes:start': (i) => {
      const { runId, total } = s.probes.start(i.credentialId, {
        ...(i.confirmEnvironment !== undefined ? { confirmEnvironment: i.confirmEnvironment } : {}),
        ...(i.resume !== undefined ? { resume: i.resume } : {}),
        ...(i.contentTypes ? { contentTypes: i.contentTypes } : {}),
      });
      return { runId, total };
    },
    'probes:cancel': (i) => ({ cancelled: s.probes.cancel(i.runId) }),
    'scan:start': (i) => s.scans.startFolder(i.folder, i.noIgnore !== undefined ? { noIgnore: i.noIgnore } : {}),
    'scan:pick-folder': () => s.scans.folders.pick(),
    'scan:allow-folder': (i) => s.scans.folders.allow(i.path),
    'vault:keychain-status': () => s.probeKeychain(),
    'scan:cancel': (i) => ({ cancelled: s.scans.cancel(i.runId) }),
    'scan:reveal-file': (i) => s.scans.revealFile(i.runId, i.path),
    'probes:report': (i) => s.probes.report(i.credentialId),
    'roles:parse-table': (i) => parseRoleTable(i.text, i.format ?? 'auto'),
    'roles:save-table': (i) => {
      const parsed = parseRoleTable(i.text, i.format ?? 'auto');
      if (!parsed.ok) {
        throw new VaultError('VALIDATION', `The table has ${parsed.errors.length} problem(s); nothing was saved.`, {
          issues: parsed.errors.map((e) => ({ path: `row ${e.row}, column ${e.column}`, message: e.message })),
        });
      }
      return { definition: s.providers.setRoleMatrix(i.providerId, toRoleMatrixModel(parsed.matrix, i.label)), source: 'user' as const };
    },
    'roles:export': (i) => {
      const def = s.providers.require(i.providerId);
      if (def.roles?.kind !== 'role_matrix') throw new VaultError('VALIDATION', `${def.name} has no role matrix to export (its model is ${def.roles?.kind ?? 'absent'}).`);
      const table = { roles: def.roles.roles, endpoints: def.roles.endpoints };
      return { text: i.format === 'csv' ? exportCsv(table) : exportMarkdown(table) };
    },
    'checks:check': (i) => s.requests.preflight(vault.getCredential(i.credentialId), i.method.toUpperCase(), i.path),

    'due:list': (i) => {
      // An unknown workspace or environment is a mistake to report, not an empty list.
      if (i.workspaceId) vault.getWorkspace(i.workspaceId);
      if (i.environmentId) vault.getEnvironment(i.environmentId);
      return listDueItems(vault, { ...i, withinDays: i.withinDays ?? DEFAULT_WITHIN_DAYS }, s.dueClock());
    },
    'due:counts': () => countDueByWorkspace(vault.due, s.dueClock()),
    'due:export-ics': (i) => ({ ics: exportDueCalendar(vault, s.dueClock(), i).ics }),
    'reminders:snooze': (i) => s.reminders.snooze(i.credentialId, i.untilMs),

    'revocation:plan': (i) => s.revocation.plan(i.credentialId),
    'revocation:revoke': (i) => s.revocation.revoke(i.credentialId, i.confirmName !== undefined ? { confirmName: i.confirmName } : {}),
    'revocation:confirm-manual': (i) => s.revocation.confirmManual(i.credentialId, { override: i.override === true }),
    'revocation:regenerate': (i) => s.revocation.regenerate(i.credentialId, i.confirmName !== undefined ? { confirmName: i.confirmName } : {}),
    'revocation:sync': (i) => s.tokenSync.sync({ workspaceId: i.workspaceId, environmentId: i.environmentId, apply: i.apply === true }),
    'rotation:start': (i) => s.rotation.start(i.credentialId, i.mode),
    'rotation:provide-value': (i) => s.rotation.provideValue(i.flowId, i.value),
    'rotation:test': (i) => s.rotation.test(i.flowId),
    'rotation:switch': (i) => s.rotation.switch(i.flowId, i.overlapDays),
    'rotation:finish': (i) =>
      s.rotation.finish(i.flowId, { ...(i.confirmName !== undefined ? { confirmName: i.confirmName } : {}), override: i.override === true }),
    'rotation:abandon': (i) => s.rotation.abandon(i.flowId),
    'rotation:list': () => s.rotation.list(),

    // issue-12
    'credentials:move': (i) =>
      moveCredential(vault, {
        credentialId: i.id,
        environmentId: i.environmentId,
        ...(i.name !== undefined ? { name: i.name } : {}),
        ...(i.confirmName !== undefined ? { confirmName: i.confirmName } : {}),
      }),
    'credentials:value-warnings': (i) => sameValueWarnings(vault, i.id),
    'workspaces:usage': (i) => vault.workspaceUsage(i.id),
    // issue 14
    'backup:create': (i) => s.transfer.backup(i.passphrase),
    'backup:inspect': (i) => s.transfer.inspect(i.base64, i.passphrase),
    'backup:restore': (i) => s.transfer.restore(i),
    'import:preview': (i) => s.transfer.previewImport(i),
    'import:apply': (i) => s.transfer.applyImport(i),
    'export:workspace': (i) => s.transfer.exportWorkspace(i.workspaceId),
    'backup:get-schedule': () => s.scheduledBackups.view(),
    'backup:set-schedule': (i) => s.scheduledBackups.set(i),
    'backup:clear-schedule': () => ({ cleared: s.scheduledBackups.clear() }),
    'backup:run-scheduled': async () => {
      const r = await s.scheduledBackups.run({ force: true });
      return { file: r.file, removed: r.removed.length, schedule: r.schedule };
    },
  };
}
