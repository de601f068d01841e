import { describe, expect, it } from 'vitest';
import { childEnvironment } from './exec-commands';

describe('childEnvironment', () => {
  it('passes on no variable that opens the vault or a backup, and keeps the rest', () => {
    const parent = { PATH: '/bin', TOKENVAULT_HOME: '/h', TOKENVAULT_PASSPHRASE_FILE: '/p', TOKENVAULT_SESSION: 's', TOKENVAULT_BACKUP_PASSPHRASE_FILE: '/b' };
    expect(childEnvironment(parent, { A_TOKEN: 'x' })).toEqual({ PATH: '/bin', TOKENVAULT_HOME: '/h', A_TOKEN: 'x' });
  });

  it('lets a chosen token override an inherited variable of the same name', () => {
    expect(childEnvironment({ A_TOKEN: 'old' }, { A_TOKEN: 'new' })).toEqual({ A_TOKEN: 'new' });
  });
});
