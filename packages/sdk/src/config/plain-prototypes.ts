/**
 * zod 4 walks schema shapes and parsed objects with `for…in`, so a host page that added an
 * enumerable method to Object.prototype or Array.prototype (MooTools-era code does) makes it
 * see that method as a key of every object: schemas fail to build and every document fails.
 * While our synchronous zod work runs, those additions are made non-enumerable, and restored
 * exactly as they were right after. No host code can run in between (it is all synchronous),
 * so the page never observes the change.
 */
type Hidden = Array<[object, string, PropertyDescriptor]>

export function hidePrototypeAdditions(): Hidden {
  const hidden: Hidden = []
  for (const proto of [Object.prototype, Array.prototype]) {
    for (const key of Object.keys(proto)) {
      const d = Object.getOwnPropertyDescriptor(proto, key)
      if (!d?.configurable) continue
      Object.defineProperty(proto, key, { ...d, enumerable: false })
      hidden.push([proto, key, d])
    }
  }
  return hidden
}

export function restorePrototypeAdditions(hidden: Hidden): void {
  for (const [proto, key, d] of hidden) Object.defineProperty(proto, key, d)
}

export function withPlainPrototypes<T>(fn: () => T): T {
  const hidden = hidePrototypeAdditions()
  try {
    return fn()
  } finally {
    restorePrototypeAdditions(hidden)
  }
}
