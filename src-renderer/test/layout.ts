/**
 * jsdom lays nothing out, so a virtualized list would see a 0-px viewport and
 * render no rows. This gives the grid's scroll container a size (the
 * virtualizer reads clientHeight/clientWidth) so it renders the rows that
 * would be visible. Returns the undo.
 */
export function stubLayout(height = 340, width = 900): () => void {
  const proto = HTMLElement.prototype;
  Object.defineProperty(proto, 'clientHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return this.classList.contains('grid-scroll') ? height : 0;
    },
  });
  Object.defineProperty(proto, 'clientWidth', {
    configurable: true,
    get(this: HTMLElement) {
      return this.classList.contains('grid-scroll') ? width : 0;
    },
  });
  // Deleting the own properties uncovers Element.prototype's real getters again.
  return () => {
    delete (proto as unknown as Record<string, unknown>).clientHeight;
    delete (proto as unknown as Record<string, unknown>).clientWidth;
  };
}
