// Dates for tables: "2026-11-24 12:42 UTC" — the same on server and client.
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
