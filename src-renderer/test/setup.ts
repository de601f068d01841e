/**
 * Vitest setup for every test file. Component tests wait for states
 * (`findBy…`, `waitFor`); Testing Library gives those one second by default,
 * a deadline tuned to a fast machine. A state that arrives is seen as soon as
 * it arrives, so a generous deadline only matters on a loaded machine.
 */
if (typeof document !== 'undefined') {
  const { configure } = await import('@testing-library/dom');
  configure({ asyncUtilTimeout: 15_000 });
}
export {};
