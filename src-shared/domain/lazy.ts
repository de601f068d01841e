/**
 * A schema (or any object) built the first time it is used instead of when
 * its module loads (issue 11, a CLI that starts fast). Building the zod
 * schemas of src-shared/domain/schemas.ts and src-shared/roles/model.ts was a
 * tenth of a `tokenvault test` process (measured with --cpu-prof), and most
 * commands use a handful of them, or none.
 *
 * Returns a stand-in with the type of what `build` returns: every property
 * read, `in`, key listing, prototype lookup (so `instanceof` works) and write
 * goes to the real value, built once on the first of them. `build` must not
 * throw (schema definitions never do); it runs at most once.
 */
export function lazy<T extends object>(build: () => T): T {
  let real: T | undefined;
  const target = (): T => (real ??= build());
  return new Proxy(Object.create(null) as T, {
    get: (_, key) => Reflect.get(target(), key),
    set: (_, key, value) => Reflect.set(target(), key, value),
    has: (_, key) => Reflect.has(target(), key),
    ownKeys: () => Reflect.ownKeys(target()),
    getOwnPropertyDescriptor: (_, key) => {
      const d = Reflect.getOwnPropertyDescriptor(target(), key);
      // A proxy may only report a non-configurable property its own (empty) target has.
      return d && { ...d, configurable: true };
    },
    defineProperty: (_, key, d) => Reflect.defineProperty(target(), key, d),
    deleteProperty: (_, key) => Reflect.deleteProperty(target(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(target()),
  });
}
