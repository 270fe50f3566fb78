/**
 * Badge and level icons: a small built-in set of inline SVGs (no emoji font needed), picked by
 * name in the flows (`"icon": "rocket"`); an http(s) or root-relative URL shows that image; any
 * other short text (an emoji) still shows as text.
 */
export const ICONS: Record<string, string> = {
  trophy: 'M8 21h8M12 17v4M7 4h10v5a5 5 0 0 1-10 0zM7 6H4a3 3 0 0 0 3 4M17 6h3a3 3 0 0 1-3 4',
  medal: 'M7 3l3 6M17 3l-3 6M12 9a6 6 0 1 0 0 12 6 6 0 1 0 0-12zm0 3.5v5',
  star: 'M12 3l2.8 5.7 6.2.9-4.5 4.4 1 6.2-5.5-3-5.5 3 1-6.2L3 9.6l6.2-.9z',
  rocket: 'M9 15l-4-1 3-4h4M10 15l1 4 4-3v-4M10 15c4-2 8-6 9-12-6 1-10 5-12 9zM15 8.5h.01M6 16c-2 1-2 4-2 4s3 0 4-2',
  chart: 'M4 20V10m6 10V4m6 16v-7M3 20h18',
  flame: 'M12 3c1 4 5 6 5 11a5 5 0 0 1-10 0c0-3 2-4 2-7 2 1 3 3 3 5 1-2 1-5 0-9z',
  compass: 'M12 3a9 9 0 1 0 0 18 9 9 0 1 0 0-18zm3.5 5.5l-2 5-5 2 2-5z',
  bolt: 'M13 2L4 14h7l-1 8 9-12h-7z',
}

export function Icon({ icon }: { icon: string }) {
  const d = Object.hasOwn(ICONS, icon) ? ICONS[icon] : undefined
  if (d)
    return (
      <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
        <path d={d} />
      </svg>
    )
  if (/^(https?:)?\/[^/]|^https?:\/\//.test(icon)) return <img class="icon" src={icon} alt="" />
  return (
    <span class="icon" aria-hidden="true">
      {icon}
    </span>
  )
}
