import { Dialog, DialogBody, DialogFooter } from '../components/ui/dialog';
import { Button } from '../components/ui/button';
import { MOD_LABEL } from '../lib/keyboard';
import type { AppAction } from './shortcuts';

/** `?`: every shortcut, the single keys and the modifier ones. */
export function ShortcutsHelp({ actions, onClose }: { actions: readonly AppAction[]; onClose: () => void }) {
  const rows: [string, string][] = [
    [`${MOD_LABEL} K`, 'Jump to a workspace, environment, token or action'],
    [`${MOD_LABEL} F`, 'Search the tokens of this environment'],
    ['↑ ↓', 'Move through the token list; Enter opens the details'],
    ...actions.map((a): [string, string] => [a.keys, a.label]),
    ['Esc', 'Close a dialog'],
  ];
  return (
    <Dialog title="Keyboard shortcuts" size="sm" onClose={onClose}>
      <DialogBody>
        <table className="shortcuts-table">
          <tbody>
            {rows.map(([k, label]) => (
              <tr key={k}>
                <th scope="row">
                  {k.split(' ').map((part) => (
                    <kbd key={part}>{part}</kbd>
                  ))}
                </th>
                <td>{label}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted">Single keys work when no field has the focus.</p>
      </DialogBody>
      <DialogFooter>
        <Button onClick={onClose} autoFocus>
          Close
        </Button>
      </DialogFooter>
    </Dialog>
  );
}
