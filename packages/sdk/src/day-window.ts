/**
 * How many days of daily detail the usage profile keeps (usage.ts); rules may look back no
 * further (config/rule-schema.ts). A module of its own: validation's cache stamp follows every
 * source validation imports, and the usage store's code is not one of them.
 */
export const DAY_WINDOW = 90
