/** Workspace colours. Red is left out on purpose: red means production here. */
export const WORKSPACE_COLORS = [
  { value: '#2f6fed', name: 'Blue' },
  { value: '#0d9488', name: 'Teal' },
  { value: '#16a34a', name: 'Green' },
  { value: '#ca8a04', name: 'Amber' },
  { value: '#ea580c', name: 'Orange' },
  { value: '#db2777', name: 'Pink' },
  { value: '#7c3aed', name: 'Purple' },
  { value: '#64748b', name: 'Slate' },
] as const;

export const DEFAULT_WORKSPACE_COLOR = WORKSPACE_COLORS[0].value;
