// Replacing a property for the length of a run and putting back exactly what was there, including
// its descriptor (getters, enumerability), or deleting it if it was not an own property.

/** Replaces `target[key]` with `value` and returns the function that undoes it. */
export function patchProperty(target: object, key: PropertyKey, value: unknown): () => void {
  const original = Object.getOwnPropertyDescriptor(target, key);
  Object.defineProperty(target, key, {
    value,
    writable: true,
    configurable: true,
    enumerable: original?.enumerable ?? false,
  });
  return () => {
    if (original === undefined) delete (target as Record<PropertyKey, unknown>)[key];
    else Object.defineProperty(target, key, original);
  };
}
