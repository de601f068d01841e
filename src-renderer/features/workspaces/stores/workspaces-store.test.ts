// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { installFakeApi, uninstallFakeApi } from '../../../test/fake-api';
import { environment, workspace } from '../../../test/fixtures';
import { defaultEnvironmentId, useWorkspacesStore, workspacesSelectors } from './workspaces-store';

afterEach(() => {
  useWorkspacesStore.getState().actions.reset();
  uninstallFakeApi();
});

describe('the workspaces store', () => {
  it('opens a workspace on a non-production environment, whatever the order', () => {
    const prod = environment({ name: 'production', production: true });
    const live = environment({ name: 'live', production: true });
    const sandbox = environment({ name: 'sandbox' });
    expect(defaultEnvironmentId([prod, live, sandbox])).toBe(sandbox.id);
    expect(defaultEnvironmentId([prod])).toBe(prod.id);
    expect(defaultEnvironmentId([{ corrupt: true, table: 'environments', id: 'env_x' }])).toBeNull();
  });

  it('loads workspaces sorted by name, corrupt ones last but listed', async () => {
    const b = workspace({ name: 'beta' });
    const a = workspace({ name: 'Alpha' });
    installFakeApi({
      'workspaces:list': () => [{ corrupt: true, table: 'workspaces', id: 'ws_broken' }, b, a],
      'environments:list': () => [],
    });
    await useWorkspacesStore.getState().actions.load();
    const s = useWorkspacesStore.getState();
    expect(s.workspaces.map((w) => ('corrupt' in w ? 'corrupt' : w.name))).toEqual(['Alpha', 'beta', 'corrupt']);
    expect(s.activeWorkspaceId).toBe(a.id);
    expect(workspacesSelectors.readableWorkspaces(s).map((w) => w.name)).toEqual(['Alpha', 'beta']);
  });

  it('switching workspace never leaves the previous environment active meanwhile', async () => {
    const a = workspace({ name: 'A' });
    const b = workspace({ name: 'B' });
    const envA = environment({ workspaceId: a.id, name: 'sandbox' });
    const envB = environment({ workspaceId: b.id, name: 'sandbox' });
    let release!: () => void;
    installFakeApi({
      'workspaces:list': () => [a, b],
      'environments:list': (input) =>
        (input as { workspaceId: string }).workspaceId === a.id ? [envA] : new Promise((resolve) => (release = () => resolve([envB]))),
    });
    await useWorkspacesStore.getState().actions.load();
    expect(useWorkspacesStore.getState().activeEnvironmentId).toBe(envA.id);
    const switching = useWorkspacesStore.getState().actions.selectWorkspace(b.id);
    expect(useWorkspacesStore.getState().activeWorkspaceId).toBe(b.id);
    expect(useWorkspacesStore.getState().activeEnvironmentId).toBeNull();
    release();
    await switching;
    expect(useWorkspacesStore.getState().activeEnvironmentId).toBe(envB.id);
  });

  it('a new environment becomes the active one', async () => {
    const a = workspace({ name: 'A' });
    const prod = environment({ workspaceId: a.id, name: 'production', production: true });
    installFakeApi({ 'workspaces:list': () => [a], 'environments:list': () => [], 'environments:add': () => prod });
    await useWorkspacesStore.getState().actions.load();
    await useWorkspacesStore.getState().actions.addEnvironment({ workspaceId: a.id, name: 'production', baseUrl: 'https://x.example', production: true });
    expect(workspacesSelectors.activeEnvironment(useWorkspacesStore.getState())?.production).toBe(true);
  });
});

describe('re-reading a workspace', () => {
  it('keeps the environment the user picked while the environments were being listed', async () => {
    const a = workspace({ name: 'A' });
    const sandbox = environment({ workspaceId: a.id, name: 'sandbox' });
    const prod = environment({ workspaceId: a.id, name: 'production', production: true });
    let release: (() => void) | null = null;
    installFakeApi({
      'workspaces:list': () => [a],
      'environments:list': () => (release === null ? [sandbox, prod] : new Promise((resolve) => (release = () => resolve([sandbox, prod])))),
    });
    await useWorkspacesStore.getState().actions.load();
    expect(useWorkspacesStore.getState().activeEnvironmentId).toBe(sandbox.id);
    release = () => undefined;
    const reloading = useWorkspacesStore.getState().actions.selectWorkspace(a.id);
    useWorkspacesStore.getState().actions.selectEnvironment(prod.id);
    release();
    await reloading;
    expect(useWorkspacesStore.getState().activeEnvironmentId).toBe(prod.id);
  });

  it('switching workspace keeps the environment kind: production stays production when the new one has it', async () => {
    const a = workspace({ name: 'A' });
    const b = workspace({ name: 'B' });
    const c = workspace({ name: 'C' });
    const envs: Record<string, ReturnType<typeof environment>[]> = {
      [a.id]: [environment({ workspaceId: a.id, name: 'sandbox' }), environment({ workspaceId: a.id, name: 'production', production: true })],
      [b.id]: [environment({ workspaceId: b.id, name: 'live', production: true }), environment({ workspaceId: b.id, name: 'test' })],
      [c.id]: [environment({ workspaceId: c.id, name: 'sandbox' })],
    };
    installFakeApi({ 'workspaces:list': () => [a, b, c], 'environments:list': (i) => envs[(i as { workspaceId: string }).workspaceId]! });
    const { actions } = useWorkspacesStore.getState();
    await actions.load();
    actions.selectEnvironment(envs[a.id]![1]!.id);
    await actions.selectWorkspace(b.id);
    expect(workspacesSelectors.activeEnvironment(useWorkspacesStore.getState())?.name).toBe('live');
    await actions.selectWorkspace(c.id);
    expect(workspacesSelectors.activeEnvironment(useWorkspacesStore.getState())?.name).toBe('sandbox');
    await actions.selectWorkspace(b.id);
    expect(workspacesSelectors.activeEnvironment(useWorkspacesStore.getState())?.name).toBe('test');
  });

  it('renames a workspace and an environment in place, and a deleted workspace hands over to the next', async () => {
    const a = workspace({ name: 'A' });
    const b = workspace({ name: 'B' });
    const envA = environment({ workspaceId: a.id, name: 'sandbox' });
    let list = [a, b];
    installFakeApi({
      'workspaces:list': () => list,
      'environments:list': () => [envA],
      'workspaces:update': (i) => ({ ...a, ...(i as { patch: object }).patch }),
      'environments:update': (i) => ({ ...envA, ...(i as { patch: object }).patch }),
      'workspaces:remove': () => {
        list = [b];
        return { removed: a.id };
      },
    });
    const { actions } = useWorkspacesStore.getState();
    await actions.load();
    await actions.updateWorkspace(a.id, { name: 'Zeta', expectedUpdatedAt: a.updatedAt });
    expect(useWorkspacesStore.getState().workspaces.map((w) => ('name' in w ? w.name : ''))).toEqual(['B', 'Zeta']);
    await actions.updateEnvironment(envA.id, { baseUrl: 'https://fixed.example.com', expectedUpdatedAt: envA.updatedAt });
    expect(workspacesSelectors.activeEnvironment(useWorkspacesStore.getState())?.baseUrl).toBe('https://fixed.example.com');
    await actions.removeWorkspace(a.id);
    expect(useWorkspacesStore.getState().activeWorkspaceId).toBe(b.id);
  });
});
