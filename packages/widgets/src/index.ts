export { mountWidgets } from './mount'
export type { MountOptions } from './mount'
